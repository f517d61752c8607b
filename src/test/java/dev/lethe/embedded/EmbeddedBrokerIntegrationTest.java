package dev.lethe.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM broker: transactions as Kafka Streams' exactly-once needs them, and data that outlives a restart. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedBrokerIntegrationTest {

    private static final String TOPIC = "embedded-broker-it";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One flow, two broker starts: both halves need the data the first half writes. */
    @Test
    void readCommittedSeesOnlyCommittedRecordsBeforeAndAfterARestart(@TempDir Path dataDir) throws Exception {
        String clusterId;
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir)) {
            clusterId = broker.clusterId();
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> EmbeddedBroker.start(dataDir, 0).close());
            assertTrue(second.getMessage().contains("another one is running on"), second.getMessage());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            writeCommittedAbortedCommitted(broker.bootstrapServers());
            assertEquals(List.of("kept-1", "dropped", "kept-2"), readAll(broker, "read_uncommitted"),
                    "the aborted record was written, so read_committed has something to hide");
            assertEquals(List.of("kept-1", "kept-2"), readAll(broker, "read_committed"));
        }
        assertTrue(Files.isRegularFile(dataDir.resolve("meta.properties")));

        // A fresh port on restart: neither the broker's nor the controller's port is part of the stored state.
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, 0)) {
            assertEquals(clusterId, broker.clusterId(), "the directory was not formatted again");
            try (Admin admin = admin(broker)) {
                assertTrue(admin.listTopics().names().get().contains(TOPIC));
            }
            assertEquals(List.of("kept-1", "kept-2"), readAll(broker, "read_committed"));
        }
    }

    @Test
    void aNamedPortThatIsTakenFailsClearlyBeforeAnythingStarts(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedBroker.start(dataDir, taken.getLocalPort()).close());
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
        }
        assertTrue(Files.notExists(dataDir.resolve("meta.properties")), "nothing was formatted");
    }

    @Test
    void theDefaultPortTakenMeansAnotherPortNotAFailure(@TempDir Path dataDir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Ports.isFree("127.0.0.1", EmbeddedBroker.DEFAULT_PORT),
                "something else holds the default port already");
        try (ServerSocket taken = new ServerSocket(EmbeddedBroker.DEFAULT_PORT, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedBroker broker = EmbeddedBroker.start(dataDir)) {
            assertTrue(broker.port() != taken.getLocalPort(), "started on " + broker.port());
            assertTrue(!Ports.isFree("127.0.0.1", broker.port()), "the broker listens on the port it reports");
        }
    }

    private static void writeCommittedAbortedCommitted(String bootstrap) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-it",
                // as long as a slow unlearning transaction may need: the broker must allow it
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(15).toMillis());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            inTransaction(producer, "kept-1");
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "k", "dropped"));
            producer.flush();
            producer.abortTransaction();
            inTransaction(producer, "kept-2");
        }
    }

    private static void inTransaction(KafkaProducer<String, String> producer, String value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", value));
        producer.commitTransaction();
    }

    /** Every value up to the end offset the consumer's isolation level allows it to see. */
    private static List<String> readAll(EmbeddedBroker broker, String isolation) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(PARTITION) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static Admin admin(EmbeddedBroker broker) {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }
}
