package dev.lethe.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** An older DeletionRequest (before the optional overrides existed), as a past producer wrote it. */
final class Evolution {
    static final Schema DELETION_REQUEST_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "DeletionRequest", "namespace": "dev.lethe.events", "fields": [
              {"name": "request_id", "type": "string"},
              {"name": "model_id", "type": "string"},
              {"name": "class_indices", "type": {"type": "array", "items": "int"}, "default": []},
              {"name": "class_labels", "type": {"type": "array", "items": "string"}, "default": []},
              {"name": "requested_by", "type": "string"},
              {"name": "reason", "type": "string"},
              {"name": "tenant", "type": "string"},
              {"name": "requested_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    /** The current schema plus a field old records cannot fill: not BACKWARD compatible. */
    static final Schema DELETION_REQUEST_BREAKING = withRequiredField(
            dev.lethe.events.DeletionRequest.getClassSchema(), "priority");

    private Evolution() { }

    private static Schema withRequiredField(Schema current, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.INT), "no default: old records cannot fill it"));
        return Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
    }

    static GenericRecord oldRequest() {
        GenericRecord r = new GenericData.Record(DELETION_REQUEST_V0);
        r.put("request_id", "req-old-1");
        r.put("model_id", "fmnist-mlp");
        r.put("class_indices", List.of(1));
        r.put("class_labels", List.of());
        r.put("requested_by", "legacy-producer");
        r.put("reason", "written before alpha overrides existed");
        r.put("tenant", "acme");
        r.put("requested_at", SampleEvents.AT.toEpochMilli());
        return r;
    }

    /** A record written in the wire format with a schema of our choosing, as another producer would. */
    static byte[] frame(int schemaId, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
