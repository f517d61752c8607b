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
