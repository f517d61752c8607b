package dev.lethe.ops;

import dev.lethe.events.AuditDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The process's metrics, scraped as Prometheus text at {@code /metrics}: JVM and Kafka Streams
 * binders, and Lethe's own {@code lethe_*} series, which the processor reports with one-line
 * calls. One registry per process, like the JVM it describes; a test reads values before and
 * after what it does rather than expecting zeros.
 */
public final class LetheMetrics {
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final Map<String, AtomicLong> LAST_VERSION_MILLIS = new ConcurrentHashMap<>();

    static {
        bindAll(REGISTRY);
    }

    private LetheMetrics() { }

    private static void bindAll(PrometheusMeterRegistry r) {
        r.config().meterFilter(maskSecretTags());
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        for (AuditDecision d : AuditDecision.values()) {
            requests(d); // every decision's series exists from the start, at 0
        }
        deadLetters();
        cache(true);
        cache(false);
    }

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    /** The registry in Prometheus's text exposition format. */
    public static String scrape() {
        return REGISTRY.scrape();
    }

    /** Binds a Kafka Streams instance's client metrics; close the result when the instance closes. */
    public static AutoCloseable bind(KafkaStreams streams) {
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams);
        m.bindTo(REGISTRY);
        return m;
    }

    // ---- what the processor reports --------------------------------------------------------

    /** One request decided (each audit record is one decision). */
    public static void decided(AuditDecision decision) {
        requests(decision).increment();
    }

    /** One request computed: its compute time, and whether its retain statistics were ready (warm) or captured. */
    public static void computed(String modelId, double computeSeconds, boolean warmRetainStatistics) {
        Timer.builder("lethe.compute").description("a request's compute time: capture, statistics, weight update")
                .tag("model", modelId).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(REGISTRY).record(Duration.ofNanos((long) (computeSeconds * 1e9)));
        cache(warmRetainStatistics).increment();
    }

    /** One model version emitted (a base version on registration, or a request's new version). */
    public static void versionEmitted(String modelId) {
        Counter.builder("lethe.versions.emitted").description("model versions emitted").tag("model", modelId)
                .register(REGISTRY).increment();
        LAST_VERSION_MILLIS.computeIfAbsent(modelId, id -> {
            AtomicLong last = new AtomicLong();
            Gauge.builder("lethe.seconds.since.last.version", last,
                            l -> (System.currentTimeMillis() - l.get()) / 1000.0)
                    .description("seconds since this process last emitted a version of the model")
                    .tag("model", id).register(REGISTRY);
            return last;
        }).set(System.currentTimeMillis());
    }

    /** The native threads a computation starting now would use ({@link NativeThreads#current()}). */
    public static void nativeThreads(java.util.function.IntSupplier threads) {
        Gauge.builder("lethe.native.threads", threads, t -> t.getAsInt())
                .description("native threads (PyTorch, ND4J, OpenBLAS) a request starting now would use")
                .register(REGISTRY);
    }

    /** One record sent to the dead-letter topic. */
    public static void deadLettered() {
        deadLetters().increment();
    }

    private static Counter requests(AuditDecision d) {
        return Counter.builder("lethe.requests").description("deletion requests decided, by audit decision")
                .tag("decision", d.name().toLowerCase(Locale.ROOT)).register(REGISTRY);
    }

    private static Counter deadLetters() {
        return Counter.builder("lethe.dead.letters").description("records sent to the dead-letter topic")
                .register(REGISTRY);
    }

    private static Counter cache(boolean hit) {
        return Counter.builder("lethe.retain.statistics.cache")
                .description("requests whose retain statistics were ready (hit) or had to be captured (miss)")
                .tag("result", hit ? "hit" : "miss").register(REGISTRY);
    }

    /** Tag values under a secret-looking key never reach a scrape (Kafka's tags are ids, but a binder may change). */
    static MeterFilter maskSecretTags() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getTags().stream().noneMatch(t -> KafkaSettings.isSecret(t.getKey()))) {
                    return id;
                }
                List<Tag> masked = id.getTags().stream().map(t -> KafkaSettings.isSecret(t.getKey())
                        ? Tag.of(t.getKey(), KafkaSettings.MASK) : t).collect(Collectors.toList());
                return id.replaceTags(masked);
            }
        };
    }
}
