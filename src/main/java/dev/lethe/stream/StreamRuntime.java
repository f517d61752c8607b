package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import dev.lethe.engine.Unlearner;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.Compatibility;
import dev.lethe.serde.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** The running processor: topics and subjects set up, Kafka Streams started, a background thread for statistics. */
public final class StreamRuntime implements AutoCloseable {
    private final KafkaStreams streams;
    private final ExecutorService background;

    private StreamRuntime(KafkaStreams streams, ExecutorService background) {
        this.streams = streams;
        this.background = background;
    }

    /** Creates missing topics, pins BACKWARD compatibility on every event subject, starts, waits for RUNNING. */
    public static StreamRuntime start(StreamConfig config, SchemaRegistry registry, Unlearner unlearner,
                                      Duration timeout) throws InterruptedException, TimeoutException {
        return start(config, registry, unlearner, timeout, statisticsExecutor());
    }

    /** The default executor that captures retain statistics off the stream thread. */
    public static ExecutorService statisticsExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lethe-retain-statistics");
            t.setDaemon(true);
            return t;
        });
    }

    /** As above, with the executor that captures retain statistics off the stream thread. */
    public static StreamRuntime start(StreamConfig config, SchemaRegistry registry, Unlearner unlearner,
                                      Duration timeout, ExecutorService background)
            throws InterruptedException, TimeoutException {
        return start(config, registry, unlearner, timeout, background, streams -> { });
    }

    /**
     * As above; {@code onCreated} sees the Kafka Streams instance before it starts, so that health
     * checks can follow it from CREATED through REBALANCING to RUNNING.
     */
    public static StreamRuntime start(StreamConfig config, SchemaRegistry registry, Unlearner unlearner,
                                      Duration timeout, ExecutorService background, Consumer<KafkaStreams> onCreated)
            throws InterruptedException, TimeoutException {
        Topics topics = config.topics();
        createTopics(config, topics);
        pinCompatibility(registry, topics);
        KafkaStreams streams = new KafkaStreams(LetheTopology.build(topics,
                dev.lethe.serde.AvroSerdes.with(registry), unlearner, background, Safeguards.from(config)),
                config.streamsProperties());
        StreamRuntime runtime = new StreamRuntime(streams, background);
        // A failed task aborts its transaction; a fresh thread resumes from the last commit, so
        // a transient fault (registry down, disk full) costs a retry, never a lost request.
        streams.setUncaughtExceptionHandler(e -> {
            System.err.println("lethe: stream thread failed, replacing it: " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        onCreated.accept(streams);
        streams.start();
        runtime.awaitState(KafkaStreams.State.RUNNING, timeout);
        return runtime;
    }

    static void createTopics(StreamConfig config, Topics topics) {
        Properties p = new Properties();
        p.putAll(dev.lethe.ops.KafkaSettings.standaloneClient(config.kafkaPassThrough()));
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(StreamConfig.BOOTSTRAP));
        int partitions = Integer.parseInt(config.get(StreamConfig.PARTITIONS));
        short replication = Short.parseShort(config.get(StreamConfig.REPLICATION));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String t : List.of(topics.requests(), topics.registrations(), topics.versions(), topics.audit(),
                    topics.deadLetters())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, replication).configs(Map.of(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, config.get(StreamConfig.MAX_MESSAGE_BYTES))));
                }
            }
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create Lethe's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Registers each event's schema under its topic's subject and keeps that subject BACKWARD. */
    static void pinCompatibility(SchemaRegistry registry, Topics topics) {
        Map<String, org.apache.avro.Schema> subjects = Map.of(
                topics.requests(), DeletionRequest.getClassSchema(),
                topics.registrations(), ModelRegistration.getClassSchema(),
                topics.versions(), ModelVersion.getClassSchema(),
                topics.audit(), AuditRecord.getClassSchema(),
                topics.deadLetters(), DeadLetter.getClassSchema());
        subjects.forEach((topic, schema) -> {
            String subject = SchemaRegistry.subject(topic, false);
            registry.register(subject, schema);
            registry.setCompatibility(subject, Compatibility.BACKWARD);
        });
    }

    public void awaitState(KafkaStreams.State wanted, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != wanted) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped in state " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Kafka Streams not " + wanted + " after " + timeout + " (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops within about {@code timeout}: the record in flight finishes and commits, or (past the
     * timeout) its transaction is left to abort, and the next owner of the task redoes it.
     *
     * @return whether Kafka Streams closed cleanly within the timeout
     */
    public boolean close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = streams.close(timeout);
        background.shutdownNow();
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            background.awaitTermination(Math.max(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return clean;
    }
}
