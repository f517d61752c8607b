package dev.lethe.serde;

import dev.lethe.serde.SerdeException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format bytes into a SpecificRecord class. The writer's schema comes from
 * the registry by the id in the header, and Avro's schema resolution maps it onto the reader's
 * class, so records written with an older or newer compatible schema still read.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistry registry;
    private final Class<T> type;
    private final SpecificData data;
    private final Schema readerSchema;
    /** One resolving reader per writer schema id: resolution is worked out once per id. */
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.data = SpecificData.getForClass(type);
        this.readerSchema = data.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = WireFormat.schemaId(bytes);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            // Not computeIfAbsent: the registry call may fail, and must not run under the map's lock.
            reader = new SpecificDatumReader<>(registry.schemaById(id), readerSchema, data);
            readers.put(id, reader);
        }
        return read(reader, bytes, id);
    }

    private T read(SpecificDatumReader<T> reader, byte[] bytes, int id) {
        int bodyLength = bytes.length - WireFormat.HEADER_BYTES;
        BoundedDecoder decoder = new BoundedDecoder(
                DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_BYTES, bodyLength, null));
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new SerdeException(Reason.TRUNCATED, "Avro body of " + bodyLength + " bytes ends before a whole "
                    + type.getSimpleName() + " (schema id " + id + ")" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            // Garbage after a valid header shows up as any of these, depending on which byte is bad.
            throw new SerdeException(Reason.MALFORMED, "body does not decode as " + type.getSimpleName()
                    + " with schema id " + id + ": " + e, e);
        }
        if (!isEnd(decoder)) {
            throw new SerdeException(Reason.MALFORMED, "bytes left over after a whole "
                    + type.getSimpleName() + " (schema id " + id + "): wrong schema id or corrupt body");
        }
        return record;
    }

    private static boolean isEnd(BoundedDecoder decoder) {
        try {
            return decoder.isEnd();
        } catch (IOException e) {
            return false;
        }
    }
}
