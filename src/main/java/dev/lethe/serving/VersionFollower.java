package dev.lethe.serving;

import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one model's versions with {@code read_committed} (a version whose transaction aborted is
 * never seen) from the beginning, on its own thread, and hands each to a consumer.
 */
public final class VersionFollower implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public VersionFollower(String bootstrap, SchemaRegistry registry, String topic, String modelId,
                           Consumer<ModelVersion> onVersion) {
        Properties p = new Properties();
        p.putAll(dev.lethe.ops.KafkaSettings.standaloneClient()); // SASL/TLS of a secured cluster
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // A group of its own: every replica must see every version. (The pid was not enough: in
        // containers every JVM is pid 1, and replicas sharing a group split the partitions.)
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "lethe-serve-" + modelId + "-" + java.util.UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        var values = AvroSerdes.with(registry).valueSerde(ModelVersion.class).deserializer();
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (modelId.equals(r.key())) {
                            onVersion.accept(values.deserialize(r.topic(), r.value()));
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }, "lethe-serve-versions");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether it still follows: false once closed or once its thread died (a health check's question). */
    public boolean alive() {
        return running && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
