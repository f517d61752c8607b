package dev.lethe.serde;

import dev.lethe.serde.SerdeException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry in memory, for fast tests of code that serializes events: same ids for
 * same schemas, and compatibility rules checked with Avro's own resolution rules. Subjects
 * start at BACKWARD, as on a Confluent registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final List<Schema> schemas = new ArrayList<>();           // index = id - 1
    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<String, List<Schema>> versions = new HashMap<>();
    private final Map<String, Compatibility> levels = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> history = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!history.contains(schema)) {
            if (!isCompatible(subject, schema)) {
                throw new SerdeException(Reason.INCOMPATIBLE_SCHEMA, "schema " + schema.getFullName()
                        + " is not " + level(subject) + " compatible with subject " + subject);
            }
            history.add(schema);
        }
        return ids.computeIfAbsent(schema, s -> {
            schemas.add(s);
            return schemas.size();
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemas.size()) {
            throw new SerdeException(Reason.UNKNOWN_SCHEMA, "no schema with id " + id);
        }
        return schemas.get(id - 1);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Schema> history = versions.getOrDefault(subject, List.of());
        Compatibility level = level(subject);
        boolean transitive = level.name().endsWith("_TRANSITIVE");
        List<Schema> against = transitive || history.isEmpty() ? history : List.of(history.get(history.size() - 1));
        return against.stream().allMatch(old -> compatible(level, schema, old));
    }

    @Override
    public synchronized void setCompatibility(String subject, Compatibility level) {
        levels.put(subject, level);
    }

    private Compatibility level(String subject) {
        return levels.getOrDefault(subject, Compatibility.BACKWARD);
    }

    private static boolean compatible(Compatibility level, Schema next, Schema old) {
        boolean backward = canRead(next, old);  // new consumers read old records
        boolean forward = canRead(old, next);   // old consumers read new records
        switch (level) {
            case NONE: return true;
            case BACKWARD: case BACKWARD_TRANSITIVE: return backward;
            case FORWARD: case FORWARD_TRANSITIVE: return forward;
            default: return backward && forward;
        }
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}
