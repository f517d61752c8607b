package dev.lethe.serde;

import org.apache.avro.Schema;

/**
 * The few schema-registry operations Lethe needs. Implementations: {@link RestSchemaRegistry}
 * (any server speaking the Confluent REST API) and {@link InMemorySchemaRegistry} (tests).
 * All methods throw {@link SerdeException} on failure.
 */
public interface SchemaRegistry {

    /** Registers the schema under the subject (a no-op if already there) and returns its id. */
    int register(String subject, Schema schema);

    /** The schema with this id; {@link SerdeException.Reason#UNKNOWN_SCHEMA} if there is none. */
    Schema schemaById(int id);

    /** Whether registering the schema under the subject would pass the subject's compatibility rule. */
    boolean isCompatible(String subject, Schema schema);

    void setCompatibility(String subject, Compatibility level);

    /** Topic name strategy: the subject of a topic's keys or values. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
