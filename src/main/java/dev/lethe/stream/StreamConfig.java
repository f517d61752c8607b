package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import dev.lethe.ops.KafkaSettings;
import dev.lethe.serde.RestSchemaRegistry;
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
 * Lethe's stream settings: defaults, then a properties file, then system properties, then environment
 * variables ({@code lethe.bootstrap.servers} is overridden by {@code LETHE_BOOTSTRAP_SERVERS}); Kafka
 * client properties pass through as {@code lethe.kafka.*} / {@code LETHE_KAFKA_*}. An empty
 * bootstrap address means "embedded": start a broker and a registry in this process.
 */
public final class StreamConfig {
    public static final String APPLICATION_ID = "lethe.application.id";
    public static final String BOOTSTRAP = "lethe.bootstrap.servers";
    public static final String REGISTRY = "lethe.registry.url";
    public static final String STATE_DIR = "lethe.state.dir";
    /** The artifact store: a directory, or {@code s3://bucket/prefix/} (credentials, region, endpoint: the AWS chains). */
    public static final String ARTIFACTS = "lethe.artifacts";
    /** S3 path-style addressing: true, false, or empty for "true exactly when an endpoint override is set". */
    public static final String S3_PATH_STYLE = "lethe.s3.path-style";
    /** Create the S3 bucket if it is missing (a local S3-compatible server); otherwise a missing bucket stops the start. */
    public static final String S3_CREATE_BUCKET = "lethe.s3.create-bucket";
    /** Former names still read, each for its current one (the current name wins where both are set). */
    private static final Map<String, String> FORMER_NAMES = Map.of(ARTIFACTS, "lethe.artifacts.dir");
    public static final String PARTITIONS = "lethe.topic.partitions";
    public static final String REPLICATION = "lethe.topic.replication";
    /** The slowest request Lethe accepts: transactions and polls are sized for it. */
    public static final String MAX_REQUEST_SECONDS = "lethe.max.request.seconds";
    /** The largest record Lethe writes and its topics accept (producer and topics set alike). */
    public static final String MAX_MESSAGE_BYTES = "lethe.max.message.bytes";
    /** The quality gate: a new version measured above this forget accuracy is not published. */
    public static final String MAX_FORGET_ACCURACY = "lethe.quality.max-forget-accuracy";
    /** Scaling out: warm copies of each task's state on other instances, and stream threads per instance. */
    public static final String STANDBY_REPLICAS = "lethe.num.standby.replicas";
    public static final String STREAM_THREADS = "lethe.num.stream.threads";
    /** The processor's health and metrics endpoints ({@code bin/lethe run}); {@code serve} uses its own port. */
    public static final String HTTP_PORT = "lethe.http.port";
    public static final String HTTP_BIND = "lethe.http.bind";
    /** How long a stop (SIGTERM) may take before the process gives up waiting for a clean close. */
    public static final String SHUTDOWN_SECONDS = "lethe.shutdown.seconds";
    /**
     * What the engine keeps in memory per model version to answer requests without a forward
     * pass (retain statistics, prepared sides), in bytes over all versions; the least likely
     * needed goes first. {@code LETHE_CACHE_MAX_BYTES}.
     */
    public static final String CACHE_MAX_BYTES = "lethe.cache.max-bytes";
    /** Basic auth for the schema registry; empty user: none. */
    public static final String REGISTRY_USER = "lethe.registry.user";
    public static final String REGISTRY_PASSWORD = "lethe.registry.password";

    private final Map<String, String> values;
    /** {@code lethe.kafka.*} pass-through, prefix removed ({@link KafkaSettings}). */
    private final Map<String, String> kafka;

    private StreamConfig(Map<String, String> values, Map<String, String> kafka) {
        this.values = values;
        this.kafka = kafka;
    }

    public static Map<String, String> defaults(Path home) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(APPLICATION_ID, "lethe-unlearner");
        d.put(BOOTSTRAP, "");
        d.put(REGISTRY, "");
        d.put(STATE_DIR, home.resolve("streams").toString());
        d.put(ARTIFACTS, home.resolve("artifacts").toString());
        d.put(S3_PATH_STYLE, "");
        d.put(S3_CREATE_BUCKET, "false");
        d.put(PARTITIONS, "1");
        d.put(REPLICATION, "1");
        d.put(MAX_REQUEST_SECONDS, "300");
        d.put(MAX_MESSAGE_BYTES, String.valueOf(Safeguards.DEFAULT_MAX_MESSAGE_BYTES));
        d.put(MAX_FORGET_ACCURACY, String.valueOf(Safeguards.DEFAULT_MAX_FORGET_ACCURACY));
        d.put(STANDBY_REPLICAS, "0");
        d.put(STREAM_THREADS, "1");
        d.put(HTTP_PORT, "9400");
        d.put(HTTP_BIND, "127.0.0.1");
        d.put(SHUTDOWN_SECONDS, "60");
        d.put(CACHE_MAX_BYTES, String.valueOf(dev.lethe.engine.UnlearningService.DEFAULT_CACHE_BYTES));
        d.put(REGISTRY_USER, "");
        d.put(REGISTRY_PASSWORD, "");
        d.put("lethe.topic.requests", Topics.DEFAULT.requests());
        d.put("lethe.topic.registrations", Topics.DEFAULT.registrations());
        d.put("lethe.topic.versions", Topics.DEFAULT.versions());
        d.put("lethe.topic.audit", Topics.DEFAULT.audit());
        d.put("lethe.topic.dead-letters", Topics.DEFAULT.deadLetters());
        return d;
    }

    /** Defaults, overridden by {@code file} (may be null), by this JVM's system properties, by {@code env}. */
    public static StreamConfig load(Path home, Path file, Map<String, String> env) throws IOException {
        return load(home, file, System.getProperties(), env);
    }

    /** Defaults, overridden by {@code file} (may be null), by {@code system} properties, by {@code env}. */
    public static StreamConfig load(Path home, Path file, Properties system, Map<String, String> env) throws IOException {
        Map<String, String> v = defaults(home);
        Properties p = new Properties();
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            FORMER_NAMES.forEach((key, former) -> {
                if (p.getProperty(key) == null && p.getProperty(former) != null) {
                    v.put(key, p.getProperty(former).trim());
                }
            });
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
            FORMER_NAMES.values().forEach(v::remove);
        }
        for (String key : v.keySet()) {
            for (String name : namesOf(key)) {
                String fromSystem = system.getProperty(name);
                if (fromSystem != null) {
                    v.put(key, fromSystem.trim());
                }
            }
            for (String name : namesOf(key)) {
                String fromEnv = env.get(envName(name));
                if (fromEnv != null) {
                    v.put(key, fromEnv.trim());
                }
            }
        }
        Map<String, String> kafka = KafkaSettings.fromProperties(p);
        kafka.putAll(KafkaSettings.fromProperties(system));
        kafka.putAll(KafkaSettings.fromEnvironment(env));
        v.keySet().removeIf(k -> k.startsWith(KafkaSettings.PREFIX));
        return new StreamConfig(v, kafka);
    }

    /** A setting's former name, if it has one, then its name: read in that order, so the current name wins. */
    private static java.util.List<String> namesOf(String key) {
        String former = FORMER_NAMES.get(key);
        return former == null ? java.util.List.of(key) : java.util.List.of(former, key);
    }

    /** {@code lethe.topic.dead-letters} -> {@code LETHE_TOPIC_DEAD_LETTERS}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public StreamConfig with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new StreamConfig(v, kafka);
    }

    public String get(String key) {
        return values.get(key);
    }

    public int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " (" + envName(key) + ") must be a whole number, not '" + v + "'");
        }
    }

    /** The {@code lethe.kafka.*} pass-through, prefix removed: for the processor's streams, producer and consumers. */
    public Map<String, String> kafkaPassThrough() {
        return Map.copyOf(kafka);
    }

    /** Every setting, pass-through included, with secrets masked: the form that may be printed. */
    public Map<String, String> describe() {
        Map<String, String> all = new LinkedHashMap<>(values);
        kafka.forEach((k, v) -> all.put(KafkaSettings.PREFIX + k, v));
        return KafkaSettings.masked(all);
    }

    /** A client of the configured registry at {@code url}, with basic auth when a user is configured. */
    public RestSchemaRegistry registryClient(String url) {
        return new RestSchemaRegistry(url, get(REGISTRY_USER), get(REGISTRY_PASSWORD));
    }

    /**
     * Opens the configured artifact store ({@link #ARTIFACTS}); for S3 this checks the bucket once
     * and fails with a message that names what to set. The caller closes it.
     */
    public dev.lethe.store.ArtifactStore openArtifactStore() {
        String pathStyle = get(S3_PATH_STYLE);
        return dev.lethe.store.ArtifactStores.open(get(ARTIFACTS),
                pathStyle.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(parseBoolean(S3_PATH_STYLE)),
                parseBoolean(S3_CREATE_BUCKET));
    }

    private boolean parseBoolean(String key) {
        String v = get(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " (" + envName(key) + ") must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
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
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, getInt(STANDBY_REPLICAS));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(STREAM_THREADS));
        // Lethe has no global stores; opting in now is Kafka 5's default. Kafka Streams 4.3.1 also
        // builds a StreamsConfig of its own from the main consumer's settings (the partition
        // assignor's AssignorConfiguration), which warns "not enabled for the GlobalThread" unless
        // the setting reaches that consumer too; the consumer itself ignores it (an INFO line).
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // Last, so that a cluster's own needs (SASL, TLS, rack, group.instance.id) reach every client
        // Kafka Streams creates; unprefixed keys apply to its producer and consumers alike.
        p.putAll(kafka);
        return p;
    }
}
