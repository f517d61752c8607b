package dev.lethe.app;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.stream.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * What an upstream privacy system and a downstream consumer do: publish registrations and
 * deletion requests, and follow the versions and audit topics with {@code read_committed}.
 */
public final class Client implements AutoCloseable {
    private final String bootstrap;
    private final Topics topics;
    private final AvroSerdes serdes;
    private final KafkaProducer<String, SpecificRecord> producer;

    public Client(String bootstrap, SchemaRegistry registry, Topics topics) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.serdes = AvroSerdes.with(registry);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), (topic, value) -> value == null ? null
                : serializerFor(value).serialize(topic, value));
    }

    @SuppressWarnings("unchecked")
    private org.apache.kafka.common.serialization.Serializer<SpecificRecord> serializerFor(SpecificRecord value) {
        return (org.apache.kafka.common.serialization.Serializer<SpecificRecord>)
                serdes.valueSerde(value.getClass()).serializer();
    }

    public void register(ModelRegistration reg) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topics.registrations(), reg.getModelId(), reg)).get();
    }

    public void request(DeletionRequest req) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topics.requests(), req.getModelId(), req)).get();
    }

    /** A reader of the versions and audit topics from the beginning (committed records only). */
    public Follower follow() {
        return new Follower();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Follows the versions and audit topics; answers "what happened to request X" and "what is model M at". */
    public final class Follower implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        Follower() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "lethe-client-" + System.nanoTime());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            consumer.subscribe(List.of(topics.versions(), topics.audit()));
        }

        /** The outcome of a request: its version, or the audit record that says why there is none. */
        public record Outcome(Optional<ModelVersion> version, AuditRecord audit) { }

        public Outcome awaitRequest(String requestId, Duration timeout) {
            ModelVersion version = null;
            AuditRecord audit = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    if (r.topic().equals(topics.versions())) {
                        ModelVersion v = serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value());
                        if (v.getRequestIds().contains(requestId)) {
                            version = v;
                        }
                    } else {
                        AuditRecord a = serdes.valueSerde(AuditRecord.class).deserializer().deserialize(r.topic(), r.value());
                        if (requestId.equals(a.getRequestId())) {
                            audit = a;
                        }
                    }
                }
                if (audit != null && (version != null || audit.getDecision() != AuditDecision.ACCEPTED)) {
                    return new Outcome(Optional.ofNullable(version), audit);
                }
            }
            throw new IllegalStateException("no decision on request " + requestId + " within " + timeout);
        }

        /** The newest version of {@code modelId}, waiting until one exists. */
        public ModelVersion awaitHead(String modelId, Duration timeout) {
            ModelVersion head = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.topic().equals(topics.versions()) && modelId.equals(r.key())) {
                        head = serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value());
                    }
                }
                if (head != null && records.isEmpty()) {
                    return head;
                }
            }
            if (head != null) {
                return head;
            }
            throw new IllegalStateException("no version of model " + modelId + " within " + timeout);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
