package dev.lethe.bench;

import dev.lethe.events.AuditRecord;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.lineage.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the versions and audit topics from the beginning on a thread of its own, at one
 * isolation level. Two of them tell the bench what a kill interrupted: {@code read_uncommitted}
 * sees a version the moment the processor sends it, inside its still open transaction;
 * {@code read_committed} sees it only once that transaction commits.
 */
final class TopicWatch implements AutoCloseable {
    /** A version record where it was seen. */
    record Seen(ModelVersion version, int partition, long offset, long seenAtNanos) { }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroSerdes serdes;
    private final Topics topics;
    private final Thread thread;
    private final Map<String, Seen> versionByRequest = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    private final Map<String, AuditRecord> audits = new ConcurrentHashMap<>();
    private final java.util.Set<String> modelsSeen = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    TopicWatch(String bootstrap, SchemaRegistry registry, Topics topics, boolean committedOnly) {
        this.serdes = AvroSerdes.with(registry);
        this.topics = topics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10); // the mid-commit trigger must see a version within ms
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = List.of(topics.versions(), topics.audit()).stream()
                .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(60)).stream()
                        .map(i -> new TopicPartition(t, i.partition()))).collect(Collectors.toList());
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::loop, "chaos-watch-" + (committedOnly ? "committed" : "uncommitted"));
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    add(r);
                }
            }
        } catch (WakeupException closing) {
            // close() asked
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> r) {
        long now = System.nanoTime();
        if (r.topic().equals(topics.versions())) {
            ModelVersion v = serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value());
            modelsSeen.add(v.getModelId());
            for (String id : v.getRequestIds()) {
                versionByRequest.putIfAbsent(id, new Seen(v, r.partition(), r.offset(), now));
                answeredAt.putIfAbsent(id, now);
            }
        } else {
            AuditRecord a = serdes.valueSerde(AuditRecord.class).deserializer().deserialize(r.topic(), r.value());
            if (a.getRequestId() != null) {
                audits.putIfAbsent(a.getRequestId(), a);
                if (a.getDecision() != dev.lethe.events.AuditDecision.ACCEPTED) {
                    answeredAt.putIfAbsent(a.getRequestId(), now);
                }
            }
        }
    }

    /** The first version seen that answers {@code requestId}, if any yet. */
    Seen version(String requestId) {
        return versionByRequest.get(requestId);
    }

    /** Some version of the model, its base at least, has been seen. */
    boolean hasModel(String modelId) {
        return modelsSeen.contains(modelId);
    }

    /** Answered by a version or by a refusal in the audit topic. */
    boolean answered(String requestId) {
        return answeredAt.containsKey(requestId);
    }

    AuditRecord audit(String requestId) {
        return audits.get(requestId);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
