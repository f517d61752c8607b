package dev.lethe.stream;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Lethe's stream settings: defaults, then a properties file, then environment variables
 * ({@code lethe.bootstrap.servers} is overridden by {@code LETHE_BOOTSTRAP_SERVERS}). An empty
 * bootstrap address means "embedded": start a broker and a registry in this process.
 */
public final class StreamConfig {
    public static final String APPLICATION_ID = "lethe.application.id";
    public static final String BOOTSTRAP = "lethe.bootstrap.servers";
    public static final String REGISTRY = "lethe.registry.url";
    public static final String STATE_DIR = "lethe.state.dir";
    public static final String ARTIFACTS = "lethe.artifacts.dir";
    public static final String PARTITIONS = "lethe.topic.partitions";
    public static final String REPLICATION = "lethe.topic.replication";
    /** The slowest request Lethe accepts: transactions and polls are sized for it. */
    public static final String MAX_REQUEST_SECONDS = "lethe.max.request.seconds";
    /** The largest record Lethe writes and its topics accept (producer and topics set alike). */
    public static final String MAX_MESSAGE_BYTES = "lethe.max.message.bytes";
    /** The quality gate: a new version measured above this forget accuracy is not published. */
    public static final String MAX_FORGET_ACCURACY = "lethe.quality.max-forget-accuracy";

    private final Map<String, String> values;

    private StreamConfig(Map<String, String> values) {
        this.values = values;
    }

    public static Map<String, String> defaults(Path home) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "lethe-unlearner");
        d.put(BOOTSTRAP, "");
        d.put(REGISTRY, "");
        d.put(STATE_DIR, home.resolve("streams").toString());
        d.put(ARTIFACTS, home.resolve("artifacts").toString());
        d.put(PARTITIONS, "1");
        d.put(REPLICATION, "1");
        d.put(MAX_REQUEST_SECONDS, "300");
        d.put(MAX_MESSAGE_BYTES, String.valueOf(Safeguards.DEFAULT_MAX_MESSAGE_BYTES));
        d.put(MAX_FORGET_ACCURACY, String.valueOf(Safeguards.DEFAULT_MAX_FORGET_ACCURACY));
        d.put("lethe.topic.requests", Topics.DEFAULT.requests());
        d.put("lethe.topic.registrations", Topics.DEFAULT.registrations());
        d.put("lethe.topic.versions", Topics.DEFAULT.versions());
        d.put("lethe.topic.audit", Topics.DEFAULT.audit());
        d.put("lethe.topic.dead-letters", Topics.DEFAULT.deadLetters());
        return d;
    }

    /** Defaults, overridden by {@code file} (may be null), overridden by {@code env}. */
    public static StreamConfig load(Path home, Path file, Map<String, String> env) throws IOException {
        Map<String, String> v = defaults(home);
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        }
        for (String key : v.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                v.put(key, fromEnv.trim());
            }
        }
        return new StreamConfig(v);
    }

    /** {@code lethe.topic.dead-letters} -> {@code LETHE_TOPIC_DEAD_LETTERS}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public StreamConfig with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new StreamConfig(v);
    }

    public String get(String key) {
        return values.get(key);
    }

    public boolean embedded() {
        return get(BOOTSTRAP).isEmpty();
    }

    public Topics topics() {
        return new Topics(get("lethe.topic.requests"), get("lethe.topic.registrations"), get("lethe.topic.versions"),
                get("lethe.topic.audit"), get("lethe.topic.dead-letters"));
    }

    /**
     * Kafka Streams settings: exactly-once, one record per poll (a request computes for seconds,
     * its version should not wait for a batch), transaction and poll timeouts above the slowest
     * request, so that the broker never aborts a transaction that is still computing.
     */
    public Properties streamsProperties() {
        long maxMs = Long.parseLong(get(MAX_REQUEST_SECONDS)) * 1000;
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, get(APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, get(BOOTSTRAP));
        p.put(StreamsConfig.STATE_DIR_CONFIG, get(STATE_DIR));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.parseInt(get(REPLICATION)));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) (2 * maxMs + 60_000));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) (maxMs + 60_000));
        // One record limit for the producer and every topic it writes, changelogs included: a
        // record the producer accepts is never refused by the broker, and the other way round.
        int maxMessage = Safeguards.from(this).maxMessageBytes();
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxMessage);
        p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), String.valueOf(maxMessage));
        return p;
    }
}
