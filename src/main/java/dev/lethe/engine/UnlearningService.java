package dev.lethe.engine;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.DataException;
import dev.lethe.data.DataSpec;
import dev.lethe.data.Dataset;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageShape;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Description;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.store.ArtifactCorruptException;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.ArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Turns a forgetting request against a stored model version into the bytes of the next version.
 * Weights and retain statistics come from the artifact store (the source of truth) through
 * small in-memory caches keyed by content hash. No Kafka in here: the stream processor calls it.
 */
public final class UnlearningService implements Unlearner, AutoCloseable {
    /** Validation images per class that the metrics of a new version are measured on. */
    static final int METRIC_SAMPLES_PER_CLASS = 50;
    private static final int CACHED_STATISTICS = 4;

    private final ArtifactStore store;
    private final Sampling sampling;
    private final int maxForgetRank;
    private final NDManager manager = NDManager.newBaseManager();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle
    private final Map<String, ClassStatistics> statistics = lru(CACHED_STATISTICS);
    /** Where each version's statistics were stored, by weights sha256: versions with equal weights share them. */
    private final Map<String, ArtifactRef> stored = new ConcurrentHashMap<>();

    /**
     * A registered model: what does not change between its versions.
     *
     * @param classAlphas alphas tuned for forgetting each class alone, by class index (may be empty)
     */
    public record Model(String modelId, String architecture, List<String> labels, String sampleBankUri,
                        Manifest.Alphas defaults, Map<Integer, Manifest.Alphas> classAlphas, DataSpec data) {
        /** A model whose data is Fashion-MNIST's IDX files in the directory {@code sampleBankUri} names. */
        public Model(String modelId, String architecture, List<String> labels, String sampleBankUri,
                     Manifest.Alphas defaults, Map<Integer, Manifest.Alphas> classAlphas) {
            this(modelId, architecture, labels, sampleBankUri, defaults, classAlphas, idxAt(sampleBankUri));
        }

        private static DataSpec idxAt(String uri) {
            return FashionMnist.spec(uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri));
        }
    }

    /** The version a request applies to. */
    public record Head(long version, String sha256, String artifactUri, Set<Integer> forgotten) { }

    /** The next version: its stored artifact and what was measured while making it. */
    public record Produced(ArtifactRef artifact, ArtifactRef patch, Set<Integer> allForgotten, Manifest.Alphas alphas,
                           Sampling sampling, int maxForgetRank, boolean recentredHead, double retainAccuracy,
                           double forgetAccuracy, String measuredOn, double computeSeconds,
                           boolean warmRetainStatistics) { }

    public UnlearningService(ArtifactStore store, Sampling sampling) {
        this(store, sampling, ForgetJob.DEFAULT_MAX_FORGET_RANK);
    }

    /** @param maxForgetRank forget directions kept per layer (0: all above the tolerance); bounds patch sizes */
    public UnlearningService(ArtifactStore store, Sampling sampling, int maxForgetRank) {
        this.store = store;
        this.sampling = sampling;
        this.maxForgetRank = maxForgetRank;
    }

    /** Rejects a request that cannot be served, with the reason; returns the cumulative forgotten set. */
    @Override
    public Set<Integer> validate(Model model, Head head, Set<Integer> classes) {
        return ForgetJob.validate(classes, head.forgotten(), model.labels().size());
    }

    /**
     * Computes and stores the next version. {@code seed} makes the request's sample draws its own
     * and repeatable; the artifact is written before this returns (content-addressed, so a retry
     * writes the same bytes to the same place).
     */
    @Override
    public Produced forget(Model model, Head head, Set<Integer> classes, Manifest.Alphas override, long seed) {
        return forget(model, head, classes, override, sampling.withSeed(seed));
    }

    /** As above with explicit sample counts, e.g. those a recorded version says it used (replay). */
    public Produced forget(Model model, Head head, Set<Integer> classes, Manifest.Alphas override, Sampling s) {
        return forget(model, head, classes, override, s, maxForgetRank);
    }

    /**
     * As above with the forget rank for alphas that carry none: a request's own alphas, or
     * replay's, which come with the rank the recorded version says it used.
     */
    public Produced forget(Model model, Head head, Set<Integer> classes, Manifest.Alphas override, Sampling s,
                           int rank) {
        return forget(model, head, classes, override, s, rank, ForgetJob.RECENTRE_HEAD);
    }

    /** As above, with or without head re-centring (replay: as the recorded version says). */
    public Produced forget(Model model, Head head, Set<Integer> classes, Manifest.Alphas override, Sampling s,
                           int rank, boolean recentreHead) {
        return inUse(() -> compute(model, head, classes, override, s, rank, recentreHead));
    }

    private Produced compute(Model model, Head head, Set<Integer> classes, Manifest.Alphas override, Sampling s,
                             int rank, boolean recentreHead) {
        long seed = s.seed();
        long start = System.nanoTime();
        Splits splits = splits(model);
        try (Network net = load(model, head)) {
            ClassStatistics cached = statistics.get(head.sha256());
            Manifest manifest = manifest(model, head);
            ForgetJob.Result r = ForgetJob.run(net, manifest, splits, classes, override, s, cached, rank,
                    recentreHead);
            ArtifactRef ref = store.put(ModelFiles.weightBytes(net));
            ArtifactRef patch = store.put(PatchArtifact.encode(r.outcome().patches()));
            double compute = (System.nanoTime() - start) / 1e9;
            Dataset held = SampleBank.draw(splits.validation(), METRIC_SAMPLES_PER_CLASS, seed)
                    .forClasses(allClasses(model));
            ClassAccuracy acc = Evaluation.accuracy(net, held);
            return new Produced(ref, patch, r.allForgotten(), r.alphas(), s, r.forgetRank(), r.recentredHead(),
                    acc.retainAccuracy(r.allForgotten()),
                    acc.forgetAccuracy(r.allForgotten()), held.size() + " validation images",
                    compute, cached != null);
        }
    }

    /**
     * Captures the per-class statistics of a version (so its next request pays only for the
     * forget side), stores them as an artifact and keeps them in memory.
     */
    @Override
    public ArtifactRef precompute(Model model, Head head) {
        return inUse(() -> capture(model, head));
    }

    private ArtifactRef capture(Model model, Head head) {
        ArtifactRef done = stored.get(head.sha256());
        if (done != null && statistics.containsKey(head.sha256())) {
            return done;
        }
        Splits splits = splits(model);
        try (Network net = load(model, head)) {
            Set<Integer> open = new TreeSet<>(allClasses(model));
            open.removeAll(head.forgotten());
            ClassStatistics stats = ClassStatistics.captureRetain(net, splits, open, sampling);
            statistics.put(head.sha256(), stats);
            ArtifactRef ref = store.put(stats.toBytes());
            stored.put(head.sha256(), ref);
            return ref;
        }
    }

    /**
     * Makes stored statistics (e.g. after a restart) available to the next request on {@code head}.
     * They are a cache: if the artifact is gone or unreadable, the version is left without
     * statistics and the next request captures them again. Only an unreachable store throws.
     */
    @Override
    public void adopt(Head head, String statisticsUri) {
        if (!statistics.containsKey(head.sha256())) {
            ClassStatistics stats;
            try {
                stats = ClassStatistics.fromBytes(store.get(statisticsUri));
            } catch (ArtifactNotFoundException | ArtifactCorruptException | IllegalArgumentException
                     | IllegalStateException | UncheckedIOException e) {
                System.err.println("lethe: retain statistics " + statisticsUri + " unusable (" + e.getMessage()
                        + "): the next request recomputes them");
                return;
            }
            // Statistics stored by a Lethe that kept no means cannot re-centre the head: leave the
            // version without statistics, so they are captured again (same Grams, now with means).
            if (stats.hasMeans()) {
                statistics.put(head.sha256(), stats);
            }
        }
    }

    /**
     * Loads the registered weights once, as every request will: architecture known, artifact
     * present with the claimed sha256, tensors fitting the network; and the sample bank readable.
     */
    @Override
    public void checkRegistration(Model model, Head base) {
        inUse(() -> {
            Architecture arch = Architecture.parse(model.architecture()); // IllegalArgumentException names the known ones
            byte[] bytes = store.get(base.artifactUri());
            String actual = ModelFiles.sha256(bytes);
            if (!actual.equals(base.sha256())) {
                throw new IllegalArgumentException("artifact " + base.artifactUri() + " has sha256 " + actual
                        + ", the registration says " + base.sha256());
            }
            try (Network net = arch.create(manager, 0)) {
                ModelFiles.loadSafetensors(net, bytes);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the weights in " + base.artifactUri() + " do not load into a '"
                        + model.architecture() + "' network: " + e.getMessage(), e);
            }
            try {
                checkData(model);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("the data of model " + model.modelId() + " at "
                        + model.data().location() + " cannot serve it: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public boolean hasStatistics(Head head) {
        return statistics.containsKey(head.sha256());
    }

    private Network load(Model model, Head head) {
        byte[] bytes = store.get(head.artifactUri());
        String actual = ModelFiles.sha256(bytes);
        if (!actual.equals(head.sha256())) {
            throw new IllegalStateException("artifact " + head.artifactUri() + " has sha256 " + actual
                    + ", the model version says " + head.sha256());
        }
        Network net = Architecture.parse(model.architecture()).create(manager, 0);
        ModelFiles.loadSafetensors(net, bytes);
        return net;
    }

    /** The model's own data, split as every tool splits it (Datasets caches the few in use). */
    private static Splits splits(Model model) {
        try {
            return Datasets.load(model.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the data of model " + model.modelId() + " at "
                    + model.data().location(), e);
        }
    }

    /**
     * Checks, before a model is accepted, that its data can be read and fits its network: the
     * class count of the head, the input the network takes. Request time never meets bad data.
     * (The data is loaded into Datasets' cache here, so the first request does not load it again.)
     *
     * @throws DataException saying what disagrees
     */
    private static void checkData(Model model) throws IOException {
        Description.Input in = Architecture.parse(model.architecture()).description().input();
        Datasets.check(model.data(), model.labels().size(), new ImageShape(in.channels(), in.height(), in.width()));
    }

    private static Manifest manifest(Model model, Head head) {
        Map<String, Manifest.Alphas> alphas = new LinkedHashMap<>();
        model.classAlphas().forEach((c, a) -> alphas.put(String.valueOf(c), a));
        if (model.defaults() != null) {
            alphas.put("default", model.defaults());
        }
        return new Manifest(Manifest.FORMAT, model.architecture(), model.labels(), null, null, head.sha256(), alphas,
                List.copyOf(head.forgotten()), null, "lethe stream");
    }

    private static Set<Integer> allClasses(Model model) {
        Set<Integer> all = new TreeSet<>();
        for (int c = 0; c < model.labels().size(); c++) {
            all.add(c);
        }
        return all;
    }

    private static <K, V> Map<K, V> lru(int size) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        });
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * Runs work that holds networks in this service's native memory. {@link #close} waits for
     * it (freeing a network under a running forward pass crashes the JVM, seen with a statistics
     * capture still running on a background thread at shutdown), and nothing starts after it.
     */
    private <T> T inUse(Supplier<T> work) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the unlearning service is closed");
            }
            return work.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }
}
