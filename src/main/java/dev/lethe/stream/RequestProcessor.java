package dev.lethe.stream;

import dev.lethe.engine.Unlearner;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.ops.LetheMetrics;
import dev.lethe.serde.SerdeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns registrations and deletion requests into model versions, audit records and dead
 * letters. Every decision is made here from the state stores; the unlearning itself is the
 * engine's ({@link Unlearner}). One model's records share a partition, so its requests are
 * handled one at a time, in order.
 */
final class RequestProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    private final Topics topics;
    private final Deserializer<DeletionRequest> requests;
    private final Deserializer<ModelRegistration> registrations;
    private final Unlearner unlearner;
    private final ExecutorService background;
    /** Retain statistics being captured, by weights sha256; a request on that version waits for them. */
    private final Map<String, Future<String>> pending = new ConcurrentHashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ModelRegistration> models;
    private KeyValueStore<String, ModelVersion> heads;
    private KeyValueStore<String, AuditRecord> processed;
    private KeyValueStore<String, String> statistics;

    RequestProcessor(Topics topics, Deserializer<DeletionRequest> requests,
                     Deserializer<ModelRegistration> registrations, Unlearner unlearner, ExecutorService background) {
        this.topics = topics;
        this.requests = requests;
        this.registrations = registrations;
        this.unlearner = unlearner;
        this.background = background;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> ctx) {
        this.context = ctx;
        this.models = ctx.getStateStore(LetheTopology.MODELS_STORE);
        this.heads = ctx.getStateStore(LetheTopology.HEADS_STORE);
        this.processed = ctx.getStateStore(LetheTopology.PROCESSED_STORE);
        this.statistics = ctx.getStateStore(LetheTopology.STATISTICS_STORE);
        ctx.schedule(Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, now -> recordFinishedStatistics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (source.topic().equals(topics.registrations())) {
            onRegistration(record, source);
        } else {
            onRequest(record, source);
        }
    }

    private void onRegistration(Record<byte[], byte[]> record, RecordMetadata source) {
        ModelRegistration reg;
        try {
            reg = registrations.deserialize(source.topic(), record.value());
            Requests.checkRegistration(reg, models.get(reg.getModelId()));
        } catch (RuntimeException e) {
            rejectUndecodable(record, source, e);
            return;
        }
        if (models.get(reg.getModelId()) != null) {
            return; // the same registration again: nothing changes
        }
        ModelVersion base = Versions.base(reg, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        models.put(reg.getModelId(), reg);
        heads.put(reg.getModelId(), base);
        context.forward(new Record<>(reg.getModelId(), (SpecificRecord) base, record.timestamp()), LetheTopology.VERSIONS_SINK);
        LetheMetrics.versionEmitted(reg.getModelId());
        precompute(reg, base);
    }

    private void onRequest(Record<byte[], byte[]> record, RecordMetadata source) {
        DeletionRequest req;
        try {
            req = requests.deserialize(source.topic(), record.value());
            if (req == null) {
                throw new IllegalArgumentException("empty record (no value)");
            }
        } catch (RuntimeException e) {
            rejectUndecodable(record, source, e);
            return;
        }
        if (processed.get(req.getRequestId()) != null) {
            audit(req, AuditDecision.DUPLICATE, "request id already processed", null, source);
            return;
        }
        ModelRegistration model = models.get(req.getModelId());
        ModelVersion head = heads.get(req.getModelId());
        Set<Integer> classes;
        try {
            classes = Requests.validate(req, model, head);
            unlearner.validate(Versions.model(model), Versions.head(head), classes);
        } catch (IllegalArgumentException e) {
            deadLetter(record, source, e);
            processed.put(req.getRequestId(), audit(req, AuditDecision.REJECTED, e.getMessage(), null, source));
            return;
        }
        produce(req, model, head, classes, source);
    }

    private void produce(DeletionRequest req, ModelRegistration model, ModelVersion head, Set<Integer> classes,
                         RecordMetadata source) {
        UnlearningService.Model m = Versions.model(model);
        UnlearningService.Head h = Versions.head(head);
        awaitStatistics(h);
        UnlearningService.Produced p;
        try {
            p = unlearner.forget(m, h, classes, Requests.alphas(req, model), Lineage.seed(req.getRequestId()));
        } catch (RuntimeException e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            processed.put(req.getRequestId(), audit(req, AuditDecision.FAILED, reason, null, source));
            return;
        }
        ModelVersion next = Versions.next(head, req, model, p, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        heads.put(model.getModelId(), next);
        context.forward(new Record<>(model.getModelId(), (SpecificRecord) next, context.currentSystemTimeMs()),
                LetheTopology.VERSIONS_SINK);
        LetheMetrics.versionEmitted(model.getModelId());
        LetheMetrics.computed(model.getModelId(), p.computeSeconds(), p.warmRetainStatistics());
        processed.put(req.getRequestId(), audit(req, AuditDecision.ACCEPTED, null, next.getVersion(), source));
        precompute(model, next);
    }

    // ---- retain statistics, computed off the stream thread ---------------------------------

    private void precompute(ModelRegistration model, ModelVersion version) {
        UnlearningService.Model m = Versions.model(model);
        UnlearningService.Head h = Versions.head(version);
        pending.put(h.sha256(), background.submit(() -> unlearner.precompute(m, h).uri()));
    }

    /** If this version's statistics are being captured, waits; if they were stored earlier, loads them. */
    private void awaitStatistics(UnlearningService.Head h) {
        Future<String> f = pending.get(h.sha256());
        if (f != null) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                pending.remove(h.sha256()); // the request computes them itself
            }
            return;
        }
        String uri = statistics.get(h.sha256());
        if (uri != null && !unlearner.hasStatistics(h)) {
            unlearner.adopt(h, uri);
        }
    }

    /** Runs on the stream thread: only it may write the store. */
    private void recordFinishedStatistics() {
        pending.entrySet().removeIf(e -> {
            if (!e.getValue().isDone()) {
                return false;
            }
            try {
                statistics.put(e.getKey(), e.getValue().get());
            } catch (InterruptedException | ExecutionException ex) {
                // not recorded: the next request on that version captures them itself
            }
            return true;
        });
    }

    // ---- audit and dead letters ------------------------------------------------------------

    private void rejectUndecodable(Record<byte[], byte[]> record, RecordMetadata source, RuntimeException e) {
        if (e instanceof SerdeException se && !se.recordAtFault()) {
            throw se; // the registry is unreachable: fail the task, the record is retried after restart
        }
        deadLetter(record, source, e);
        audit(null, AuditDecision.REJECTED, "undecodable: " + e.getMessage(), null, source);
    }

    private AuditRecord audit(DeletionRequest req, AuditDecision decision, String reason, Long version,
                              RecordMetadata source) {
        AuditRecord a = AuditRecord.newBuilder()
                .setRequestId(req == null ? null : req.getRequestId())
                .setModelId(req == null ? null : req.getModelId())
                .setDecision(decision).setReason(reason).setVersion(version)
                .setAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setSourceTopic(source.topic()).setSourcePartition(source.partition()).setSourceOffset(source.offset())
                .build();
        LetheMetrics.decided(decision);
        String key = req == null ? null : req.getModelId();
        context.forward(new Record<>(key, (SpecificRecord) a, context.currentSystemTimeMs()), LetheTopology.AUDIT_SINK);
        return a;
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, Exception e) {
        DeadLetter d = DeadLetter.newBuilder()
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setSourceTopic(source.topic()).setSourcePartition(source.partition()).setSourceOffset(source.offset())
                .setErrorClass(e.getClass().getName()).setErrorMessage(e.getMessage())
                .setAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
        context.forward(new Record<>(null, (SpecificRecord) d, context.currentSystemTimeMs()), LetheTopology.DEAD_LETTER_SINK);
        LetheMetrics.deadLettered();
    }
}
