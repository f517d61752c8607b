package dev.lethe.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Plain Avro binary for state stores and for hashing. Stores are private to the processor and
 * evolve with its code, so their changelogs carry no registry id; topics others read use the
 * registry's wire format instead.
 */
final class StoreSerde {
    private StoreSerde() { }

    static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, value) -> value == null ? null : bytes(value),
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    try {
                        return reader.read(null, DecoderFactory.get().binaryDecoder(data, null));
                    } catch (IOException e) {
                        throw new UncheckedIOException("corrupt " + type.getSimpleName() + " in a state store", e);
                    }
                });
    }

    /** The canonical Avro binary encoding of a record: what lineage hashes commit to. */
    static byte[] bytes(SpecificRecord value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
