package dev.lethe.stream;

import dev.lethe.lineage.CanonicalAvro;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Plain Avro binary ({@link CanonicalAvro}) for state stores. Stores are private to the processor and
 * evolve with its code, so their changelogs carry no registry id; topics others read use the
 * registry's wire format instead.
 */
final class StoreSerde {
    private StoreSerde() { }

    static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, value) -> value == null ? null : CanonicalAvro.bytes(value),
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
}
