package dev.lethe.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * A history as a file an auditor can keep: one JSON object per line,
 * {@code {"type": "ModelVersion", "event": <Avro JSON>}}, registrations first, then requests,
 * then versions.
 */
public final class HistoryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryFile() { }

    public static void write(History h, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (ModelRegistration r : h.registrations().values()) {
                line(w, r);
            }
            for (DeletionRequest r : h.requests().values()) {
                line(w, r);
            }
            for (ModelVersion v : h.versions()) {
                line(w, v);
            }
        }
    }

    private static void line(BufferedWriter w, SpecificRecord r) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", r.getSchema().getName());
        o.set("event", JSON.readTree(AvroJson.toJson(r)));
        w.write(JSON.writeValueAsString(o));
        w.newLine();
    }

    public static History read(Path file) throws IOException {
        History h = new History();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = JSON.readTree(line);
            String event = JSON.writeValueAsString(o.get("event"));
            switch (o.path("type").asText()) {
                case "ModelRegistration" -> h.add(HistoryFile.<ModelRegistration>decode(event, ModelRegistration.getClassSchema()));
                case "DeletionRequest" -> h.add(HistoryFile.<DeletionRequest>decode(event, DeletionRequest.getClassSchema()));
                case "ModelVersion" -> h.add(HistoryFile.<ModelVersion>decode(event, ModelVersion.getClassSchema()));
                default -> throw new IOException(file + ":" + n + ": unknown event type " + o.path("type"));
            }
        }
        return h;
    }

    private static <T extends SpecificRecord> T decode(String json, Schema schema) throws IOException {
        return new SpecificDatumReader<T>(schema).read(null, DecoderFactory.get().jsonDecoder(schema, json));
    }
}
