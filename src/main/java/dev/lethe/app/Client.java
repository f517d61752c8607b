package dev.lethe.app;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.serde.AvroSerdes;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.lineage.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
        p.putAll(dev.lethe.ops.KafkaSettings.standaloneClient()); // SASL/TLS of a secured cluster
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

    /** Publishes a registration; returns where it landed, which its audit record names as its source. */
    public RecordMetadata register(ModelRegistration reg) throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(topics.registrations(), reg.getModelId(), reg)).get();
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

    /**
     * Follows the versions and audit topics; answers "what happened to request X" and "what is
     * model M at". Everything read is remembered, so questions may come in any order.
     */
    public final class Follower implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, ModelVersion> heads = new HashMap<>();
        private final Map<String, ModelVersion> versionsByRequest = new HashMap<>();
        private final Map<String, AuditRecord> audits = new HashMap<>();
        /** Audit records of registrations (no request id), by "partition@offset" of the registration. */
        private final Map<String, AuditRecord> registrationAudits = new HashMap<>();

        Follower() {
            Properties p = new Properties();
            p.putAll(dev.lethe.ops.KafkaSettings.standaloneClient()); // SASL/TLS of a secured cluster
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

        /** Reads what has arrived; returns how many records. */
        private int poll(Duration wait) {
            int n = 0;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
                n++;
                if (r.topic().equals(topics.versions())) {
                    ModelVersion v = serdes.valueSerde(ModelVersion.class).deserializer().deserialize(r.topic(), r.value());
                    heads.merge(v.getModelId(), v, (a, b) -> b.getVersion() >= a.getVersion() ? b : a);
                    v.getRequestIds().forEach(id -> versionsByRequest.put(id, v));
                } else {
                    AuditRecord a = serdes.valueSerde(AuditRecord.class).deserializer().deserialize(r.topic(), r.value());
                    if (a.getRequestId() != null) {
                        audits.put(a.getRequestId(), a);
                    } else if (a.getSourceTopic().equals(topics.registrations())) {
                        registrationAudits.put(a.getSourcePartition() + "@" + a.getSourceOffset(), a);
                    }
                }
            }
            return n;
        }

        public Outcome awaitRequest(String requestId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                AuditRecord audit = audits.get(requestId);
                ModelVersion version = versionsByRequest.get(requestId);
                if (audit != null && (version != null || audit.getDecision() != AuditDecision.ACCEPTED)) {
                    return new Outcome(Optional.ofNullable(version), audit);
                }
                poll(Duration.ofMillis(20));
            }
            throw new IllegalStateException("no decision on request " + requestId + " within " + timeout);
        }

        /**
         * The answer to the registration published at {@code sent}: the model's head once its audit
         * record accepted it (version 0, or the head of an earlier identical registration), or the
         * audit record that refused it.
         */
        public Outcome awaitRegistration(String modelId, RecordMetadata sent, Duration timeout) {
            String source = sent.partition() + "@" + sent.offset();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                int n = poll(Duration.ofMillis(200));
                AuditRecord audit = registrationAudits.get(source);
                if (audit != null && audit.getDecision() == AuditDecision.REJECTED) {
                    return new Outcome(Optional.empty(), audit);
                }
                // Version 0 is written in the same transaction as the audit: read up to now, it is in.
                if (audit != null && n == 0 && heads.containsKey(modelId)) {
                    return new Outcome(Optional.of(heads.get(modelId)), audit);
                }
            }
            throw new IllegalStateException("no answer to the registration of " + modelId + " within " + timeout
                    + ": is a Lethe processor running on this cluster?");
        }

        /** The newest version of {@code modelId} once the topic has been read up to now. */
        public ModelVersion awaitHead(String modelId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                int n = poll(Duration.ofMillis(200));
                if (n == 0 && heads.containsKey(modelId)) {
                    return heads.get(modelId);
                }
            }
            if (heads.containsKey(modelId)) {
                return heads.get(modelId);
            }
            throw new IllegalStateException("no version of model " + modelId + " within " + timeout);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
