package dev.lethe.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event as Avro's standard JSON encoding (the form docs/events.md shows): valid JSON for
 * every field, timestamps as epoch milliseconds, a non-null union value wrapped in its type.
 */
public final class AvroJson {
    private AvroJson() { }

    public static String toJson(SpecificRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder enc = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, enc);
            enc.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
