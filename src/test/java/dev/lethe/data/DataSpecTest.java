package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataSpecTest {
    @Test
    void builtInDefaultRoundTripsAsSnakeCaseJson() throws DataException {
        String json = DataSpec.FASHION_MNIST.toJson();
        assertTrue(json.contains("\"format\":\"idx\""), json);
        assertTrue(json.contains("\"location\":\"/usr/share/datasets/fashion-mnist\""), json);
        assertTrue(json.contains("\"channels\":1") && json.contains("\"fit\":\"none\""), json);
        assertTrue(!json.contains("cifar100_labels") && !json.contains("validation_per_class"), "nulls left out: " + json);
        assertEquals(DataSpec.FASHION_MNIST, DataSpec.parse(json));
    }

    @Test
    void everyExampleInTheDocsParses() throws IOException {
        List<String> blocks = jsonBlocks(Path.of("docs/data.md"));
        assertTrue(blocks.size() >= 3, "docs/data.md shows specs: " + blocks.size());
        for (String b : blocks) {
            DataSpec spec = DataSpec.parse(b);
            assertEquals(spec, DataSpec.parse(spec.toJson()), b);
        }
        DataSpec first = DataSpec.parse(blocks.get(0));
        assertEquals(DataSpec.Format.IMAGE_FOLDER, first.format());
        assertEquals(DataSpec.Fit.PAD, first.fit());
        assertEquals(new ImageShape(3, 32, 32), new ImageShape(first.channels(), first.height(), first.width()));
    }

    static List<String> jsonBlocks(Path markdown) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(markdown)) {
            if (current == null && line.strip().equals("```json")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                out.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"location\": \"/d\"}|format is required",
        "{\"format\": \"idx\"}|location is required",
        "{\"format\": \"png\", \"location\": \"/d\"}|png",
        "{\"format\": \"idx\", \"location\": \"/d\", \"channels\": 2}|channels must be 1 or 3, got 2",
        "{\"format\": \"idx\", \"location\": \"/d\", \"height\": 32}|give both height and width",
        "{\"format\": \"idx\", \"location\": \"/d\", \"fit\": \"pad\"}|fit pad needs the height and width",
        "{\"format\": \"idx\", \"location\": \"/d\", \"fit\": \"crop\"}|crop",
        "{\"format\": \"cifar10\", \"location\": \"/d\", \"cifar100_labels\": \"coarse\"}|only for format cifar100",
        "{\"format\": \"idx\", \"location\": \"/d\", \"labels\": [\"a\", \"a\"]}|label 'a' appears twice",
        "{\"format\": \"idx\", \"location\": \"/d\", \"hieght\": 32}|hieght",
        "{\"format\": \"idx\", \"location\": \"/d\"|Unexpected end-of-input",
        "{\"format\": \"idx\", \"location\": \"file:relative/dir\"}|is not a valid file: URI",
    })
    void badSpecsSayWhatIsWrong(String json, String reason) {
        DataException e = assertThrows(DataException.class, () -> DataSpec.parse(json));
        assertTrue(e.getMessage().startsWith("bad data spec: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    @Test
    void locationIsAPathOrAFileUri() throws DataException {
        assertEquals(Path.of("/data/cifar"), DataSpec.parse("{\"format\": \"cifar10\", \"location\": \"file:///data/cifar\"}")
                .directory());
        assertEquals(Path.of("/data/cifar"), DataSpec.of(DataSpec.Format.CIFAR10, Path.of("/data/cifar")).directory());
        assertNull(DataSpec.of(DataSpec.Format.CIFAR10, Path.of("/x")).fit());
        assertEquals(DataSpec.Fit.NONE, DataSpec.of(DataSpec.Format.CIFAR10, Path.of("/x")).fitOrNone());
    }

    @Test
    void readNamesTheFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("spec.json"), "{\"format\": \"idx\", \"location\": \"/d\", \"channels\": 4}");
        DataException e = assertThrows(DataException.class, () -> DataSpec.read(file));
        assertTrue(e.getMessage().startsWith(file + ": bad data spec: channels must be 1 or 3"), e.getMessage());
        assertThrows(DatasetNotFoundException.class, () -> DataSpec.read(tmp.resolve("none.json")));
    }
}
