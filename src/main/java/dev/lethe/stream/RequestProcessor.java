package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import dev.lethe.lineage.Requests;
import dev.lethe.lineage.Versions;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Unlearner;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.ops.LetheMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns registrations and deletion requests into model versions, audit records and dead
 * letters. Every decision is made here from the state stores; the unlearning itself is the
 * engine's ({@link Unlearner}). One model's records share a partition, so its requests are
 * handled one at a time, in order.
 *
 * <p>Each record is first decided ({@link Outcome}: nothing written yet), then applied. Any
 * failure while deciding goes to {@link Faults}, the one place that says whether it is the
 * record's fault (audit it, dead-letter it, move on) or infrastructure's (fail the task, retry).
 */
final class RequestProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    private final Topics topics;
    private final Deserializer<DeletionRequest> requests;
    private final Deserializer<ModelRegistration> registrations;
    private final Unlearner unlearner;
    private final ExecutorService background;
    private final Safeguards safeguards;
    private final DeadLetters deadLetters;
    /** Retain statistics being captured, by weights sha256 (recorded in the store when done). */
    private final Map<String, Future<String>> pending = new ConcurrentHashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ModelRegistration> models;
    private KeyValueStore<String, ModelVersion> heads;
    private KeyValueStore<String, AuditRecord> processed;
    private KeyValueStore<String, String> statistics;

    RequestProcessor(Topics topics, Deserializer<DeletionRequest> requests,
                     Deserializer<ModelRegistration> registrations, Unlearner unlearner, ExecutorService background,
                     Safeguards safeguards) {
        this.topics = topics;
        this.requests = requests;
        this.registrations = registrations;
        this.unlearner = unlearner;
        this.background = background;
        this.safeguards = safeguards;
        this.deadLetters = new DeadLetters(safeguards.maxMessageBytes());
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
        Inbound in = new Inbound(record, context.recordMetadata().orElseThrow());
        Outcome outcome;
        try {
            outcome = in.isRegistration(topics) ? onRegistration(in) : onRequest(in);
        } catch (RuntimeException e) {
            outcome = Faults.judge(e, in); // rethrows what is not the record's fault
        } catch (StackOverflowError e) {
            // deterministic on this input (nesting too deep somewhere): the record's, like any exception
            outcome = Faults.judge(new IllegalStateException("the input nests too deeply to handle", e), in);
        }
        apply(in, outcome);
    }

    // ---- deciding: reads stores, calls the engine, writes nothing --------------------------

    private Outcome onRegistration(Inbound in) {
        ModelRegistration reg = decode(in, registrations, "registration");
        in.modelId = reg.getModelId();
        Requests.checkKey(in.key(), reg.getModelId(), "registration");
        Requests.checkRegistrationSize(in.record.value().length, safeguards.maxRegistrationBytes());
        ModelRegistration existing = models.get(reg.getModelId());
        Requests.checkRegistration(reg, existing);
        if (existing != null) {
            return Outcome.Answered.duplicate("model '" + reg.getModelId() + "' is already registered with this "
                    + "artifact: the registration changes nothing", 0L);
        }
        ModelVersion base = Versions.base(reg, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        unlearner.checkRegistration(Versions.model(reg), Versions.head(base));
        return new Outcome.Registered(reg, base);
    }

    private Outcome onRequest(Inbound in) {
        DeletionRequest req = decode(in, requests, "deletion request");
        in.requestId = req.getRequestId();
        in.modelId = req.getModelId();
        Requests.checkKey(in.key(), req.getModelId(), "request");
        Requests.checkIds(req);
        in.ownedHere = true;
        AuditRecord earlier = processed.get(req.getRequestId());
        if (earlier != null) {
            return Outcome.Answered.duplicate("request id already processed", earlier.getVersion());
        }
        ModelRegistration model = models.get(req.getModelId());
        ModelVersion head = heads.get(req.getModelId());
        Set<Integer> classes = Requests.validate(req, model, head);
        UnlearningService.Model m = Versions.model(model);
        UnlearningService.Head h = Versions.head(head);
        // The version's seed, not the request's: every request on a version draws the same forget
        // samples per class, so the engine can have them ready before the request arrives.
        ForgetSpec spec = unlearner.spec(m, classes, Requests.alphas(req, model), Sampling.versionSeed(h.sha256()));
        Requests.reject(spec.problems(m.labels().size(), h.forgotten()));
        return produce(in, req, model, head, spec);
    }

    private Outcome produce(Inbound in, DeletionRequest req, ModelRegistration model, ModelVersion head,
                            ForgetSpec spec) {
        UnlearningService.Model m = Versions.model(model);
        UnlearningService.Head h = Versions.head(head);
        awaitStatistics(h);
        in.stage = Inbound.Stage.COMPUTE;
        UnlearningService.Produced p = unlearner.forget(m, h, spec);
        String problem = safeguards.qualityProblem(p);
        if (problem != null) {
            return Outcome.Answered.failed(problem);
        }
        return new Outcome.NewVersion(model, head,
                Versions.next(head, req, model, p, Instant.ofEpochMilli(context.currentSystemTimeMs())));
    }

    /** The event in the record's bytes; a failure here is the bytes' fault (or the registry's: see {@link Faults}). */
    private <T> T decode(Inbound in, Deserializer<T> deserializer, String what) {
        if (in.record.value() == null) {
            in.stage = Inbound.Stage.VALIDATE;
            throw new IllegalArgumentException("empty record (no value): a " + what + " was expected");
        }
        T event = deserializer.deserialize(in.source.topic(), in.record.value());
        if (event == null) {
            throw new IllegalArgumentException("no " + what + " in " + in.record.value().length + " bytes");
        }
        in.stage = Inbound.Stage.VALIDATE;
        return event;
    }

    // ---- applying: every write of one record, together ------------------------------------

    private void apply(Inbound in, Outcome outcome) {
        if (outcome instanceof Outcome.Registered r) {
            ModelRegistration reg = r.registration();
            models.put(reg.getModelId(), reg);
            heads.put(reg.getModelId(), r.base());
            context.forward(new Record<>(reg.getModelId(), (SpecificRecord) r.base(), in.record.timestamp()),
                    LetheTopology.VERSIONS_SINK);
            LetheMetrics.versionEmitted(reg.getModelId());
            audit(in, AuditDecision.ACCEPTED, null, 0L);
            precompute(reg, r.base());
        } else if (outcome instanceof Outcome.NewVersion v) {
            ModelVersion next = v.version();
            heads.put(next.getModelId(), next);
            context.forward(new Record<>(next.getModelId(), (SpecificRecord) next, context.currentSystemTimeMs()),
                    LetheTopology.VERSIONS_SINK);
            LetheMetrics.versionEmitted(next.getModelId());
            LetheMetrics.computed(next.getModelId(), next.getComputeSeconds(), next.getWarmRetainStatistics());
            processed.put(in.requestId, audit(in, AuditDecision.ACCEPTED, null, next.getVersion()));
            precompute(v.model(), next);
            retireIfSuperseded(v.parent());
        } else {
            Outcome.Answered a = (Outcome.Answered) outcome;
            if (a.deadLetter()) {
                deadLetter(in, a);
            }
            AuditRecord record = audit(in, a.decision(), a.reason(), a.version());
            if (a.remember() && in.ownedHere && in.requestId != null) {
                processed.put(in.requestId, record);
            }
        }
    }

    // ---- retain statistics, computed off the stream thread ---------------------------------

    private void precompute(ModelRegistration model, ModelVersion version) {
        UnlearningService.Model m = Versions.model(model);
        UnlearningService.Head h = Versions.head(version);
        pending.put(h.sha256(), background.submit(() -> unlearner.precompute(m, h).uri()));
    }

    /**
     * If this version's statistics were stored earlier (before a restart, say), loads them. If
     * they are being captured, the engine's request waits for that capture, or does it itself if
     * it has not started: never longer than capturing them in the request would take. They are a
     * cache: whatever goes wrong here (the artifact gone, a corrupt file), the request computes
     * them itself, so nothing here may fail it.
     */
    private void awaitStatistics(UnlearningService.Head h) {
        if (pending.containsKey(h.sha256())) {
            return;
        }
        String uri = statistics.get(h.sha256());
        if (uri == null) {
            return;
        }
        try {
            if (!unlearner.hasStatistics(h)) {
                unlearner.adopt(h, uri);
            }
        } catch (RuntimeException e) {
            System.err.println("lethe: retain statistics " + uri + " of " + h.sha256() + " unusable, recomputing: " + e);
        }
    }

    /**
     * Once no model's head is the parent version any more, its retain statistics can serve no
     * request: they are dropped from the store here and from the engine (which deletes the
     * artifact). Models whose heads share the weights (the same base registered twice) keep them.
     * Heads of other partitions are not visible here; if one shares the weights, its next
     * request finds the artifact gone and captures the statistics again.
     */
    private void retireIfSuperseded(ModelVersion parent) {
        String sha = parent.getSha256();
        try (KeyValueIterator<String, ModelVersion> all = heads.all()) {
            while (all.hasNext()) {
                if (sha.equals(all.next().value.getSha256())) {
                    return;
                }
            }
        }
        String uri = statistics.get(sha);
        statistics.delete(sha);
        pending.remove(sha);
        unlearner.retire(Versions.head(parent), uri);
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

    /** One per input record, keyed by model id; ids and reasons bounded, since they may quote huge input. */
    private AuditRecord audit(Inbound in, AuditDecision decision, String reason, Long version) {
        AuditRecord a = AuditRecord.newBuilder()
                .setRequestId(Requests.bounded(in.requestId, Requests.MAX_ID_CHARS))
                .setModelId(Requests.bounded(in.modelId, Requests.MAX_ID_CHARS))
                .setDecision(decision).setReason(Requests.bounded(reason, Safeguards.MAX_REASON_CHARS))
                .setVersion(version)
                .setAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setSourceTopic(in.source.topic()).setSourcePartition(in.source.partition())
                .setSourceOffset(in.source.offset())
                .build();
        context.forward(new Record<>(a.getModelId(), (SpecificRecord) a, context.currentSystemTimeMs()),
                LetheTopology.AUDIT_SINK);
        if (!in.isRegistration(topics)) {
            LetheMetrics.decided(decision); // the series counts deletion requests, not registrations
        }
        return a;
    }

    /** Keyed like the input was, so that an operator finds it where the input was. */
    private void deadLetter(Inbound in, Outcome.Answered a) {
        SpecificRecord d = deadLetters.of(in, a.reason(), a.cause(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        context.forward(new Record<>(DeadLetters.key(in.record.key()), d, context.currentSystemTimeMs()),
                LetheTopology.DEAD_LETTER_SINK);
        LetheMetrics.deadLettered();
    }
}
