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

    /** ModelRegistration as of schema version 2: tuned alphas per class, but no forget ranks. */
    static final Schema MODEL_REGISTRATION_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "ModelRegistration", "namespace": "dev.lethe.events", "fields": [
              {"name": "model_id", "type": "string"},
              {"name": "artifact_uri", "type": "string"},
              {"name": "sha256", "type": "string"},
              {"name": "format", "type": "string", "default": "safetensors"},
              {"name": "architecture", "type": "string"},
              {"name": "class_labels", "type": {"type": "array", "items": "string"}},
              {"name": "sample_bank_uri", "type": "string"},
              {"name": "sample_bank_sha256", "type": ["null", "string"], "default": null},
              {"name": "default_alpha_r", "type": "double"},
              {"name": "default_alpha_f", "type": "double"},
              {"name": "registered_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "class_alphas", "default": {},
               "type": {"type": "map", "values": {"type": "record", "name": "AlphaPair",
                        "fields": [{"name": "alpha_r", "type": "double"}, {"name": "alpha_f", "type": "double"}]}}}
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

    static GenericRecord oldRegistration() {
        GenericRecord pair = new GenericData.Record(MODEL_REGISTRATION_V2.getField("class_alphas").schema().getValueType());
        pair.put("alpha_r", 30.0);
        pair.put("alpha_f", 3.0);
        GenericRecord r = new GenericData.Record(MODEL_REGISTRATION_V2);
        r.put("model_id", "fmnist-vgg");
        r.put("artifact_uri", "file:///tmp/w");
        r.put("sha256", "00");
        r.put("format", "safetensors");
        r.put("architecture", "vgg");
        r.put("class_labels", List.of("a", "b"));
        r.put("sample_bank_uri", "file:///tmp/bank");
        r.put("sample_bank_sha256", null);
        r.put("default_alpha_r", 100.0);
        r.put("default_alpha_f", 3.0);
        r.put("registered_at", SampleEvents.AT.toEpochMilli());
        r.put("class_alphas", java.util.Map.of("1", pair));
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
