package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.InMemorySchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The topology on a test driver with a {@link FakeUnlearner}: typed and raw inputs, every output. */
final class TopologyHarness implements AutoCloseable {
    final Topics topics = Topics.DEFAULT;
    final AvroSerdes serdes = AvroSerdes.with(new InMemorySchemaRegistry());
    final FakeUnlearner engine = new FakeUnlearner();
    final Safeguards safeguards;
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    final TopologyTestDriver driver;
    final TestInputTopic<String, DeletionRequest> requests;
    final TestInputTopic<byte[], byte[]> rawRequests;
    final TestInputTopic<String, ModelRegistration> registrations;
    final TestInputTopic<byte[], byte[]> rawRegistrations;
    final TestOutputTopic<String, ModelVersion> versions;
    final TestOutputTopic<String, AuditRecord> audit;
    final TestOutputTopic<String, DeadLetter> deadLetters;

    TopologyHarness(Safeguards safeguards) {
        this.safeguards = safeguards;
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-harness");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(LetheTopology.build(topics, serdes, engine, background, safeguards), p);
        requests = driver.createInputTopic(topics.requests(), Serdes.String().serializer(),
                serdes.valueSerde(DeletionRequest.class).serializer());
        rawRequests = driver.createInputTopic(topics.requests(), new ByteArraySerializer(), new ByteArraySerializer());
        registrations = driver.createInputTopic(topics.registrations(), Serdes.String().serializer(),
                serdes.valueSerde(ModelRegistration.class).serializer());
        rawRegistrations = driver.createInputTopic(topics.registrations(), new ByteArraySerializer(),
                new ByteArraySerializer());
        versions = driver.createOutputTopic(topics.versions(), Serdes.String().deserializer(),
                serdes.valueSerde(ModelVersion.class).deserializer());
        audit = driver.createOutputTopic(topics.audit(), Serdes.String().deserializer(),
                serdes.valueSerde(AuditRecord.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(),
                serdes.valueSerde(DeadLetter.class).deserializer());
    }

    /** The wire-format bytes of an event, as a producer would send them. */
    byte[] bytes(String topic, org.apache.avro.specific.SpecificRecord event) {
        @SuppressWarnings("unchecked")
        Class<org.apache.avro.specific.SpecificRecord> type =
                (Class<org.apache.avro.specific.SpecificRecord>) event.getClass();
        return serdes.valueSerde(type).serializer().serialize(topic, event);
    }

    /** What Kafka's producer checks against {@code max.request.size} for this record (its own estimate). */
    static int recordSize(String key, byte[] value) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, new Header[0]);
    }

    @Override
    public void close() {
        driver.close();
        background.shutdownNow();
    }
}
