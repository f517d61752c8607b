package dev.lethe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings passed through to Kafka, their precedence, and the masking of secrets wherever settings are shown. */
class KafkaSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"lethe\" password=\"hunter2\";";

    @Test
    void environmentVariablesBecomeDottedLowerCaseKafkaProperties() {
        Map<String, String> k = KafkaSettings.fromEnvironment(Map.of(
                "LETHE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "LETHE_KAFKA_GROUP_INSTANCE_ID", "lethe-0",
                "LETHE_KAFKA_", "nothing after the prefix",
                "LETHE_BOOTSTRAP_SERVERS", "not a pass-through",
                "PATH", "/usr/bin"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "group.instance.id", "lethe-0"), k);
        Properties sys = new Properties();
        sys.setProperty("lethe.kafka.client.rack", "eu-west-1a");
        sys.setProperty("lethe.http.port", "1");
        assertEquals(Map.of("client.rack", "eu-west-1a"), KafkaSettings.fromProperties(sys));
    }

    @Test
    void fileThenSystemPropertiesThenEnvironmentAndAllReachTheStreamsConfig(@TempDir Path home) throws Exception {
        Path file = home.resolve("lethe.properties");
        Files.writeString(file, "lethe.kafka.client.rack=from-file\nlethe.kafka.security.protocol=SSL\n"
                + "lethe.kafka.linger.ms=5\nlethe.num.standby.replicas=1\n");
        Properties sys = new Properties();
        sys.setProperty("lethe.kafka.security.protocol", "SASL_PLAINTEXT");
        sys.setProperty("lethe.kafka.linger.ms", "7");
        sys.setProperty("lethe.num.stream.threads", "3");
        StreamConfig c = StreamConfig.load(home, file, sys, Map.of("LETHE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "LETHE_KAFKA_SASL_JAAS_CONFIG", JAAS, "LETHE_NUM_STREAM_THREADS", "2",
                "LETHE_KAFKA_GROUP_INSTANCE_ID", "lethe-processor-0", "LETHE_BOOTSTRAP_SERVERS", "broker:9092"));
        Properties p = c.streamsProperties();
        assertEquals("from-file", p.get("client.rack"));
        assertEquals("7", p.get("linger.ms"), "a system property wins over the file");
        assertEquals("SASL_SSL", p.get("security.protocol"), "the environment wins over both");
        assertEquals(JAAS, p.get("sasl.jaas.config"));
        assertEquals("lethe-processor-0", p.get("group.instance.id"), "static membership through the pass-through");
        assertEquals(1, p.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals(2, p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        new StreamsConfig(p); // Kafka itself accepts the result

        Properties standalone = KafkaSettings.standaloneClient(c.kafkaPassThrough());
        assertEquals("SASL_SSL", standalone.get("security.protocol"));
        assertFalse(standalone.containsKey("group.instance.id"), "a reader outside the processor must not take its identity");
    }

    @Test
    void settingsAsPrintedHideEverySecretAndNothingElse(@TempDir Path home) throws Exception {
        StreamConfig c = StreamConfig.load(home, null, new Properties(), Map.of(
                "LETHE_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "LETHE_KAFKA_SSL_KEYSTORE_PASSWORD", "ks-secret",
                "LETHE_KAFKA_BASIC_AUTH_USER_INFO_SECRET", "bai-secret",
                "LETHE_REGISTRY_PASSWORD", "reg-secret",
                "LETHE_REGISTRY_USER", "lethe",
                "LETHE_REGISTRY_URL", "https://lethe:url-secret@registry.example:8081/apis/ccompat/v7",
                "LETHE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        Map<String, String> shown = c.describe();
        String text = shown.toString();
        for (String secret : new String[] {"hunter2", "ks-secret", "reg-secret", "url-secret", "bai-secret"}) {
            assertFalse(text.contains(secret), secret + " leaked into " + text);
        }
        assertEquals(KafkaSettings.MASK, shown.get("lethe.kafka.sasl.jaas.config"));
        assertEquals(KafkaSettings.MASK, shown.get("lethe.registry.password"));
        assertEquals("https://****@registry.example:8081/apis/ccompat/v7", shown.get("lethe.registry.url"));
        assertEquals("SASL_SSL", shown.get("lethe.kafka.security.protocol"), "what is not a secret stays readable");
        assertEquals("lethe", shown.get("lethe.registry.user"));
        assertTrue(KafkaSettings.isSecret("ssl.key.password") && KafkaSettings.isSecret("SASL_JAAS_CONFIG"));
        assertFalse(KafkaSettings.isSecret("bootstrap.servers"));
    }

    @Test
    void aWrongNumberNamesItsSettingAndVariable(@TempDir Path home) throws Exception {
        StreamConfig c = StreamConfig.load(home, null, new Properties(), Map.of("LETHE_NUM_STREAM_THREADS", "two"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                c::streamsProperties);
        assertTrue(e.getMessage().contains("LETHE_NUM_STREAM_THREADS") && e.getMessage().contains("two"), e.getMessage());
    }
}
