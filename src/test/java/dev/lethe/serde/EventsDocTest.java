package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** docs/events.md stays true to schemas/: one example per event, each a valid record. */
class EventsDocTest {
    // Maven runs tests in the project directory.
    private static final Path DOC = Path.of("docs/events.md");
    private static final Path SCHEMAS = Path.of("schemas");
    private static final Pattern EXAMPLE = Pattern.compile("(?s)### `(\\w+)`\\n.*?```json\\n(.*?)```");

    @Test
    void everySchemaHasOneExampleThatDecodes() throws Exception {
        Map<String, String> examples = examples();
        assertEquals(schemaNames(), List.copyOf(examples.keySet()));
        for (Map.Entry<String, String> e : examples.entrySet()) {
            SpecificRecord record = decode(Class.forName("dev.lethe.events." + e.getKey()), e.getValue());
            assertEquals(e.getKey(), record.getSchema().getName());
        }
    }

    @Test
    void everyOptionalFieldDefaultsToNullSoItCanBeAddedLater() throws IOException {
        for (String name : schemaNames()) {
            Schema schema = new Schema.Parser().parse(SCHEMAS.resolve(name + ".avsc").toFile());
            for (Schema.Field field : fields(schema)) {
                if (field.schema().isNullable()) {
                    assertTrue(field.hasDefaultValue() && field.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE,
                            name + "." + field.name() + " is nullable but does not default to null");
                }
            }
        }
    }

    private static List<Schema.Field> fields(Schema record) {
        List<Schema.Field> all = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            all.add(f);
            if (f.schema().getType() == Schema.Type.RECORD) {
                all.addAll(fields(f.schema()));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T decode(Class<?> type, String json) throws IOException {
        SpecificData data = SpecificData.getForClass(type);
        Schema schema = data.getSchema(type);
        return new SpecificDatumReader<T>(schema, schema, data).read(null, DecoderFactory.get().jsonDecoder(schema, json));
    }

    private static Map<String, String> examples() throws IOException {
        Map<String, String> examples = new TreeMap<>();
        Matcher m = EXAMPLE.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        while (m.find()) {
            assertEquals(null, examples.put(m.group(1), m.group(2)), "two examples of " + m.group(1));
        }
        return examples;
    }

    private static List<String> schemaNames() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".avsc"))
                    .map(n -> n.substring(0, n.length() - ".avsc".length())).sorted().toList();
        }
    }
}
