package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import dev.lethe.engine.Unlearner;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor topology: registrations and requests (raw bytes, so that a record that does
 * not decode can still be dead-lettered) into one stateful processor, out to the versions,
 * audit and dead-letter topics. Store names are explicit: they are changelog topic names too.
 */
public final class LetheTopology {
    public static final String MODELS_STORE = "lethe-models";
    public static final String HEADS_STORE = "lethe-model-heads";
    public static final String PROCESSED_STORE = "lethe-processed-requests";
    public static final String STATISTICS_STORE = "lethe-retain-statistics";
    static final String PROCESSOR = "lethe-unlearner";
    static final String VERSIONS_SINK = "versions-sink";
    static final String AUDIT_SINK = "audit-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private LetheTopology() { }

    public static Topology build(Topics topics, AvroSerdes serdes, Unlearner unlearner, ExecutorService background) {
        return build(topics, serdes, unlearner, background, Safeguards.DEFAULT);
    }

    /** As above, with the record size limit and the quality gate the processor enforces. */
    public static Topology build(Topics topics, AvroSerdes serdes, Unlearner unlearner, ExecutorService background,
                                 Safeguards safeguards) {
        Topology t = new Topology();
        t.addSource("registrations-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.registrations());
        t.addSource("requests-source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.requests());
        t.addProcessor(PROCESSOR, () -> new RequestProcessor(topics,
                serdes.valueSerde(DeletionRequest.class).deserializer(),
                serdes.valueSerde(ModelRegistration.class).deserializer(), unlearner, background, safeguards),
                "registrations-source", "requests-source");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODELS_STORE),
                Serdes.String(), StoreSerde.of(ModelRegistration.class)), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADS_STORE),
                Serdes.String(), StoreSerde.of(ModelVersion.class)), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PROCESSED_STORE),
                Serdes.String(), StoreSerde.of(AuditRecord.class)), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATISTICS_STORE),
                Serdes.String(), Serdes.String()), PROCESSOR);
        t.addSink(VERSIONS_SINK, topics.versions(), Serdes.String().serializer(),
                values(serdes.valueSerde(ModelVersion.class)), PROCESSOR);
        t.addSink(AUDIT_SINK, topics.audit(), Serdes.String().serializer(),
                values(serdes.valueSerde(AuditRecord.class)), PROCESSOR);
        t.addSink(DEAD_LETTER_SINK, topics.deadLetters(), Serdes.String().serializer(),
                values(serdes.valueSerde(DeadLetter.class)), PROCESSOR);
        return t;
    }

    /** The processor forwards SpecificRecord; each sink only ever receives its own event type. */
    @SuppressWarnings("unchecked")
    private static <T> Serializer<Object> values(Serde<T> serde) {
        return (Serializer<Object>) serde.serializer();
    }
}
