package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamConfigTest {

    @Test
    void defaultsThenFileThenEnvironment(@TempDir Path home) throws Exception {
        Path file = home.resolve("lethe.properties");
        Files.writeString(file, "lethe.bootstrap.servers=from-file:9092\nlethe.topic.audit=file.audit\n");
        StreamConfig c = StreamConfig.load(home, file, Map.of("LETHE_TOPIC_AUDIT", "env.audit"));
        assertEquals("from-file:9092", c.get(StreamConfig.BOOTSTRAP));
        assertEquals("env.audit", c.topics().audit(), "the environment wins over the file");
        assertEquals(Topics.DEFAULT.requests(), c.topics().requests());
        assertEquals(home.resolve("streams").toString(), c.get(StreamConfig.STATE_DIR));
        assertFalse(c.embedded());
        assertTrue(StreamConfig.load(home, null, Map.of()).embedded(), "no bootstrap address: embedded");
        assertEquals("LETHE_TOPIC_DEAD_LETTERS", StreamConfig.envName("lethe.topic.dead-letters"));
    }

    /** lethe.artifacts.dir / LETHE_ARTIFACTS_DIR (the former name) still work; the current name wins where both are set. */
    @Test
    void theArtifactStoreSettingReadsItsFormerName(@TempDir Path home) throws Exception {
        Path file = home.resolve("lethe.properties");
        Files.writeString(file, "lethe.artifacts.dir=/from/file\n");
        assertEquals("/from/file", StreamConfig.load(home, file, Map.of()).get(StreamConfig.ARTIFACTS));
        assertFalse(StreamConfig.load(home, file, Map.of()).describe().containsKey("lethe.artifacts.dir"));
        assertEquals("/old/env", StreamConfig.load(home, file, Map.of("LETHE_ARTIFACTS_DIR", "/old/env"))
                .get(StreamConfig.ARTIFACTS));
        assertEquals("s3://b/p/", StreamConfig.load(home, file,
                Map.of("LETHE_ARTIFACTS_DIR", "/old/env", "LETHE_ARTIFACTS", "s3://b/p/")).get(StreamConfig.ARTIFACTS));
        Properties system = new Properties();
        system.setProperty("lethe.artifacts.dir", "/old/system");
        assertEquals("/old/system", StreamConfig.load(home, null, system, Map.of()).get(StreamConfig.ARTIFACTS));
    }

    @Test
    void aDirectoryLocationOpensADirectoryStoreAndAnythingElseIsNamedInTheError(@TempDir Path home) throws Exception {
        try (var store = StreamConfig.load(home, null, Map.of()).openArtifactStore()) {
            assertEquals(home.resolve("artifacts"), ((dev.lethe.store.DirectoryArtifactStore) store).root());
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                StreamConfig.load(home, null, Map.of("LETHE_ARTIFACTS", "gs://bucket/x/"))::openArtifactStore);
        assertTrue(e.getMessage().contains("s3://bucket/prefix/"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                StreamConfig.load(home, null, Map.of("LETHE_ARTIFACTS", "s3://b1/", "LETHE_S3_PATH_STYLE", "yes"))::openArtifactStore);
        assertTrue(e.getMessage().contains("LETHE_S3_PATH_STYLE"), e.getMessage());
    }

    @Test
    void transactionsOutliveTheSlowestRequest(@TempDir Path home) throws Exception {
        StreamConfig c = StreamConfig.load(home, null, Map.of("LETHE_MAX_REQUEST_SECONDS", "120"));
        Properties p = c.streamsProperties();
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertTrue((int) p.get(StreamsConfig.producerPrefix("transaction.timeout.ms")) > 120_000);
        assertTrue((int) p.get(StreamsConfig.consumerPrefix("max.poll.interval.ms")) > 120_000);
        assertEquals(1, p.get(StreamsConfig.consumerPrefix("max.poll.records")));
    }

    @Test
    void theProducerAndEveryTopicShareOneRecordLimit(@TempDir Path home) throws Exception {
        StreamConfig c = StreamConfig.load(home, null, Map.of("LETHE_MAX_MESSAGE_BYTES", "2097152"));
        Properties p = c.streamsProperties();
        assertEquals(2_097_152, p.get(StreamsConfig.producerPrefix("max.request.size")));
        assertEquals("2097152", p.get(StreamsConfig.topicPrefix("max.message.bytes")), "changelogs too");
        assertEquals(2_097_152, Safeguards.from(c).maxMessageBytes());
        assertEquals(Safeguards.DEFAULT, Safeguards.from(StreamConfig.load(home, null, Map.of())));
    }

    /**
     * Kafka Streams 4.3 builds a second StreamsConfig from its main consumer's settings (the
     * partition assignor's) and warns on every start unless the global-thread handler setting is
     * in them too: the setting must reach that consumer, not only the top-level config.
     */
    @Test
    void theMainConsumerCarriesTheGlobalHandlerSetting(@TempDir Path home) throws Exception {
        StreamConfig c = StreamConfig.load(home, null, Map.of("LETHE_BOOTSTRAP_SERVERS", "localhost:9092"));
        StreamsConfig streams = new StreamsConfig(c.streamsProperties());
        Map<String, Object> consumer = streams.getMainConsumerConfigs("lethe", "lethe-consumer", 0);
        assertEquals("true", String.valueOf(consumer.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)));
        assertTrue(new StreamsConfig(consumer).getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
    }
}
