package dev.lethe.replay;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.lineage.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the whole committed history from the registrations, requests and versions topics. */
public final class HistoryReader {
    private HistoryReader() { }

    public static History read(String bootstrap, SchemaRegistry registry, Topics topics) {
        AvroSerdes serdes = AvroSerdes.with(registry);
        History h = new History();
        Properties p = new Properties();
        p.putAll(dev.lethe.ops.KafkaSettings.standaloneClient()); // SASL/TLS of a secured cluster
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<String> names = List.of(topics.registrations(), topics.requests(), topics.versions());
            Set<TopicPartition> parts = names.stream().flatMap(t -> c.partitionsFor(t, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(t, i.partition()))).collect(Collectors.toSet());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    add(h, serdes, topics, r);
                }
            }
        }
        return h;
    }

    private static void add(History h, AvroSerdes serdes, Topics topics, ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(topics.registrations())) {
                h.add(serdes.valueSerde(ModelRegistration.class).deserializer().deserialize(r.topic(), r.value()));
            } else if (r.topic().equals(topics.requests())) {
                h.add(serdes.valueSerde(DeletionRequest.class).deserializer().deserialize(r.topic(), r.value()));
            } else {
                h.add(serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value()));
            }
        } catch (RuntimeException e) {
            // Input the processor dead-lettered: it produced no version, so replay needs none of it.
        }
    }
}
