package dev.lethe.replay;

import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.UnlearningService;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.events.UnlearningParameters;
import dev.lethe.lineage.Parameters;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.ArtifactCorruptException;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactStore;
import dev.lethe.lineage.Lineage;
import dev.lethe.lineage.Requests;
import dev.lethe.lineage.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds every version from its base model and the recorded requests, on an engine that has
 * cached nothing, and checks each against its event: the recomputed weights' sha256, the
 * stored artifact's bytes, and the lineage hash chain. The first divergence says what kind it
 * is: a tampered event (lineage), a tampered artifact (stored bytes), a logical mismatch
 * (different weights) or numeric drift (weights equal to float round-off, as on another CPU).
 */
public final class Replayer {
    /** Largest weight difference still called numeric drift rather than a different model. */
    static final double DRIFT_TOLERANCE = 1e-4;

    private final ArtifactStore store;

    public Replayer(ArtifactStore store) {
        this.store = store;
    }

    /** One checked version. */
    public record Line(String modelId, long version, boolean ok, String detail) {
        @Override
        public String toString() {
            return String.format("%s v%d: %s %s", modelId, version, ok ? "OK" : "MISMATCH", detail);
        }
    }

    public record Report(List<Line> lines) {
        public long mismatches() {
            return lines.stream().filter(l -> !l.ok()).count();
        }
    }

    /** Checks every model's versions in order; stops at the first divergence. */
    public Report replay(History history, Consumer<Line> progress) {
        List<Line> lines = new ArrayList<>();
        try (UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT)) {
            for (ModelRegistration reg : history.registrations().values()) {
                ModelVersion parent = null;
                for (ModelVersion v : history.versionsOf(reg.getModelId())) {
                    Line line = parent == null ? base(reg, v) : step(engine, history, reg, parent, v);
                    lines.add(line);
                    progress.accept(line);
                    if (!line.ok()) {
                        return new Report(lines);
                    }
                    parent = v;
                }
            }
        }
        return new Report(lines);
    }

    private Line base(ModelRegistration reg, ModelVersion v) {
        if (v.getVersion() != 0) {
            return bad(v, "the history starts at version " + v.getVersion() + ", not at the registered base");
        }
        String root = Lineage.root(reg);
        if (!root.equals(v.getLineageHash())) {
            return bad(v, "event tampered: lineage hash " + v.getLineageHash() + " is not the registration's " + root);
        }
        if (!reg.getSha256().equals(v.getSha256())) {
            return bad(v, "event tampered: base sha256 differs from the registration's");
        }
        String stored = storedHash(v);
        return stored == null ? ok(v, "base " + v.getSha256().substring(0, 12)) : bad(v, stored);
    }

    private Line step(UnlearningService engine, History history, ModelRegistration reg, ModelVersion parent,
                      ModelVersion v) {
        if (v.getVersion() != parent.getVersion() + 1 || !Long.valueOf(parent.getVersion()).equals(v.getParentVersion())) {
            return bad(v, "versions out of order: parent " + v.getParentVersion() + " after " + parent.getVersion());
        }
        DeletionRequest req = v.getRequestIds().isEmpty() ? null : history.requests().get(v.getRequestIds().get(0));
        if (req == null) {
            return bad(v, "request " + v.getRequestIds() + " is not in the history");
        }
        UnlearningParameters p = v.getParameters();
        String lineage = Lineage.next(parent.getLineageHash(), req, p, v.getSha256());
        if (!lineage.equals(v.getLineageHash())) {
            return bad(v, "event tampered: lineage hash " + v.getLineageHash() + ", recomputed " + lineage);
        }
        // The parent's seed since the warm path (Sampling.versionSeed); the request's before it.
        if (Sampling.versionSeed(parent.getSha256()) != p.getSeed() && Lineage.seed(req.getRequestId()) != p.getSeed()) {
            return bad(v, "event tampered: its seed derives neither from its parent version nor from request "
                    + req.getRequestId());
        }
        String stored = storedHash(v);
        if (stored != null) {
            return bad(v, stored);
        }
        ForgetSpec spec = Parameters.spec(Requests.classes(req, reg.getClassLabels()), p);
        String recomputed = engine.forget(Versions.model(reg), Versions.head(parent), spec).artifact().sha256();
        if (recomputed.equals(v.getSha256())) {
            return ok(v, "rebuilt " + recomputed.substring(0, 12) + ", lineage " + lineage.substring(0, 12));
        }
        double diff = WeightDiff.maxAbs(store.get(v.getArtifactUri()), store.get(recomputed));
        String kind = diff <= DRIFT_TOLERANCE ? "numeric drift" : "logical mismatch";
        return bad(v, String.format("%s: rebuilt weights hash to %s, the event says %s; largest weight difference %.3g",
                kind, recomputed.substring(0, 12), v.getSha256().substring(0, 12), diff));
    }

    /** Null when the stored artifact is intact and is the one the event names, else what is wrong. */
    private String storedHash(ModelVersion v) {
        try {
            String actual = ModelFiles.sha256(store.get(v.getArtifactUri()));
            return actual.equals(v.getSha256()) ? null
                    : "event tampered: its artifact holds " + actual.substring(0, 12) + ", the event says "
                    + v.getSha256().substring(0, 12);
        } catch (ArtifactCorruptException e) {
            return "artifact tampered: " + e.getMessage();
        } catch (ArtifactNotFoundException e) {
            return "artifact missing: " + e.getMessage();
        }
    }

    private static Line ok(ModelVersion v, String detail) {
        return new Line(v.getModelId(), v.getVersion(), true, detail);
    }

    private static Line bad(ModelVersion v, String detail) {
        return new Line(v.getModelId(), v.getVersion(), false, detail);
    }
}
