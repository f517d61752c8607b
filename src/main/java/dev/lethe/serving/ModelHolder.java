package dev.lethe.serving;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.ImageShape;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.patch.PatchArtifact;
import dev.lethe.store.ArtifactStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model a serving instance answers with, and how it moves to a new version: fetch the
 * weights (or apply the version's patch to the weights it holds), verify their sha256, load
 * them, then swap atomically. Predictions in flight finish on the version they started on; a
 * version that does not verify or load is refused and the current one keeps serving.
 */
public final class ModelHolder implements AutoCloseable {
    private final String architecture;
    private final ArtifactStore store;
    private final AtomicReference<Served> current = new AtomicReference<>();
    private final Metrics metrics = new Metrics();

    public ModelHolder(String architecture, ArtifactStore store) {
        this.architecture = architecture;
        this.store = store;
    }

    /** What a serving instance counts, for its /metrics endpoint. */
    public static final class Metrics {
        public final AtomicLong versionsSeen = new AtomicLong();
        public final AtomicLong swaps = new AtomicLong();
        public final AtomicLong refusals = new AtomicLong();
        public final AtomicLong patchesApplied = new AtomicLong();
        public final AtomicLong lastSwapMillis = new AtomicLong();
        public final AtomicLong predictions = new AtomicLong();
    }

    /** A prediction and the version that made it. */
    public record Prediction(int cls, float[] probabilities, long version, String sha256) { }

    /** Takes a new version if it is newer than the one served; returns why not, if refused. */
    public Optional<String> offer(ModelVersion v) {
        metrics.versionsSeen.incrementAndGet();
        Served old = current.get();
        if (old != null && old.version().getVersion() >= v.getVersion()) {
            return Optional.of("version " + v.getVersion() + " is not newer than " + old.version().getVersion());
        }
        long start = System.nanoTime();
        byte[] weights;
        try {
            weights = fetch(v, old);
        } catch (RuntimeException e) {
            metrics.refusals.incrementAndGet();
            return Optional.of("refused version " + v.getVersion() + ": " + e.getMessage());
        }
        NDManager manager = NDManager.newBaseManager();
        Network net = Architecture.parse(architecture).create(manager, 0);
        try {
            ModelFiles.loadSafetensors(net, weights);
        } catch (RuntimeException e) {
            net.close();
            manager.close();
            metrics.refusals.incrementAndGet();
            return Optional.of("refused version " + v.getVersion() + ": cannot load it: " + e.getMessage());
        }
        Served previous = current.getAndSet(new Served(v, weights, manager, net));
        if (previous != null) {
            previous.release();
        }
        metrics.swaps.incrementAndGet();
        metrics.lastSwapMillis.set((System.nanoTime() - start) / 1_000_000);
        return Optional.empty();
    }

    /** The new weights, verified: from the patch when this instance holds the parent, else in full. */
    private byte[] fetch(ModelVersion v, Served old) {
        byte[] weights;
        boolean holdsParent = old != null && v.getParentVersion() != null
                && old.version().getVersion() == v.getParentVersion() && v.getPatchUri() != null;
        if (holdsParent) {
            weights = PatchArtifact.apply(architecture, old.weights(), store.get(v.getPatchUri()));
            metrics.patchesApplied.incrementAndGet();
        } else {
            weights = store.get(v.getArtifactUri());
        }
        String sha = ModelFiles.sha256(weights);
        if (!sha.equals(v.getSha256())) {
            throw new IllegalStateException("weights hash to " + sha + ", the version event says " + v.getSha256());
        }
        return weights;
    }

    /** {@link #predict(float[], ImageShape)} of a Fashion-MNIST-shaped (1x28x28) image. */
    public Prediction predict(float[] pixels) {
        return predict(pixels, ImageShape.FASHION_MNIST);
    }

    /** The class of one image of pixels in [0, 1], {@code shape} as the model takes it. */
    public Prediction predict(float[] pixels, ImageShape shape) {
        while (true) {
            Served s = current.get();
            if (s == null) {
                throw new IllegalStateException("no model version loaded yet");
            }
            if (s.retain()) {
                try {
                    float[] p = s.probabilities(pixels, shape);
                    int best = 0;
                    for (int c = 1; c < p.length; c++) {
                        if (p[c] > p[best]) {
                            best = c;
                        }
                    }
                    metrics.predictions.incrementAndGet();
                    return new Prediction(best, p, s.version().getVersion(), s.version().getSha256());
                } finally {
                    s.release();
                }
            }
        }
    }

    public Optional<ModelVersion> version() {
        Served s = current.get();
        return s == null ? Optional.empty() : Optional.of(s.version());
    }

    public Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        Served s = current.getAndSet(null);
        if (s != null) {
            s.release();
        }
    }
}
