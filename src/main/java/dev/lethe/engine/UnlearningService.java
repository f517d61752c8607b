package dev.lethe.engine;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Classes;
import dev.lethe.data.DataException;
import dev.lethe.data.DataSpec;
import dev.lethe.data.Dataset;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageShape;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Architecture;
import dev.lethe.model.Description;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.patch.PatchArtifact;
import dev.lethe.store.ArtifactCorruptException;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.ArtifactStore;
import dev.lethe.unlearn.Unlearning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
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
    /** The cache's budget unless configured ({@code lethe.cache.max-bytes}). */
    public static final long DEFAULT_CACHE_BYTES = 1L << 30;

    private final ArtifactStore store;
    private final Sampling sampling;
    private final int maxForgetRank;
    private final NDManager manager = NDManager.newBaseManager();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle
    /** Statistics and prepared sides, by weights sha256: versions with equal weights share them. */
    private final VersionCache cache;
    private final Anticipation anticipation = new Anticipation();
    /** Where each version's statistics were stored, by weights sha256. */
    private final Map<String, ArtifactRef> stored = new ConcurrentHashMap<>();
    /** Each model's head as last announced by {@link #precompute}: what the next request will likely be on. */
    private final Map<String, String> heads = new ConcurrentHashMap<>();
    /** Requests seen per class index, over all models: which class the next request likely forgets. */
    private final Map<Integer, Integer> demand = new ConcurrentHashMap<>();

    /**
     * A registered model: what does not change between its versions.
     *
     * @param alphas the alphas tuned for it (a default pair, and pairs for forgetting one class alone)
     */
    public record Model(String modelId, String architecture, List<String> labels, String sampleBankUri,
                        AlphaTable alphas, DataSpec data) {
        /** A model whose data is Fashion-MNIST's IDX files in the directory {@code sampleBankUri} names. */
        public Model(String modelId, String architecture, List<String> labels, String sampleBankUri,
                     AlphaTable alphas) {
            this(modelId, architecture, labels, sampleBankUri, alphas, idxAt(sampleBankUri));
        }

        private static DataSpec idxAt(String uri) {
            return FashionMnist.spec(uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri));
        }
    }

    /** The version a request applies to. */
    public record Head(long version, String sha256, String artifactUri, Set<Integer> forgotten) { }

    /** The next version: its stored artifact, the request that made it, and what was measured while making it. */
    public record Produced(ArtifactRef artifact, ArtifactRef patch, Set<Integer> allForgotten, ForgetSpec spec,
                           double retainAccuracy, double forgetAccuracy, String measuredOn, double computeSeconds,
                           boolean warmRetainStatistics) { }

    public UnlearningService(ArtifactStore store, Sampling sampling) {
        this(store, sampling, ForgetJob.DEFAULT_MAX_FORGET_RANK);
    }

    /** @param maxForgetRank forget directions kept per layer (0: all above the tolerance); bounds patch sizes */
    public UnlearningService(ArtifactStore store, Sampling sampling, int maxForgetRank) {
        this(store, sampling, maxForgetRank, DEFAULT_CACHE_BYTES);
    }

    /** @param cacheBytes what statistics and prepared sides may hold in memory, over all versions */
    public UnlearningService(ArtifactStore store, Sampling sampling, int maxForgetRank, long cacheBytes) {
        this.store = store;
        this.sampling = sampling;
        this.maxForgetRank = maxForgetRank;
        this.cache = new VersionCache(cacheBytes);
    }

    @Override
    public ForgetSpec spec(Model model, Set<Integer> classes, Manifest.Alphas override, long seed) {
        return ForgetSpec.resolve(classes, model.alphas(), override, maxForgetRank, ForgetJob.RECENTRE_HEAD,
                sampling.withSeed(seed));
    }

    /**
     * Computes and stores the next version. The spec's seed makes the request's sample draws its
     * own and repeatable; the artifact is written before this returns (content-addressed, so a
     * retry writes the same bytes to the same place).
     */
    @Override
    public Produced forget(Model model, Head head, ForgetSpec spec) {
        return inUse(() -> compute(model, head, spec));
    }

    private Produced compute(Model model, Head head, ForgetSpec spec) {
        anticipation.requestStarted();
        try {
            spec.classes().forEach(c -> demand.merge(c, 1, Integer::sum));
            return computeNow(model, head, spec);
        } finally {
            anticipation.requestFinished();
        }
    }

    private Produced computeNow(Model model, Head head, ForgetSpec spec) {
        Sampling s = spec.sampling();
        long seed = s.seed();
        long start = System.nanoTime();
        cache.revive(head.sha256());
        Splits splits = splits(model);
        try (Network net = load(model, head)) {
            PreparedSides sides = new PreparedSides(cache, head.sha256(), net, splits, s, open(model, head), 1);
            ForgetJob.Result r = ForgetJob.run(net, spec, model.labels().size(), head.forgotten(), sides);
            ArtifactRef ref = store.put(ModelFiles.weightBytes(net));
            ArtifactRef patch = store.put(PatchArtifact.encode(r.outcome().patches()));
            double compute = (System.nanoTime() - start) / 1e9;
            // Measured after the clock stops: the metrics are the version's report, not its making.
            Dataset held = SampleBank.draw(splits.validation(), METRIC_SAMPLES_PER_CLASS, seed)
                    .forClasses(Classes.retained(model.labels().size(), Set.of()));
            ClassAccuracy acc = Evaluation.accuracy(net, held);
            return new Produced(ref, patch, r.allForgotten(), spec, acc.retainAccuracy(r.allForgotten()),
                    acc.forgetAccuracy(r.allForgotten()), held.size() + " validation images",
                    compute, !sides.statisticsComputedHere());
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

    /**
     * Runs on the background worker, ahead of every prepared side, while no request computes:
     * the caller (the stream's refresh thread) waits for it, and a request that needs these
     * statistics waits for that, not for a second capture.
     */
    private ArtifactRef capture(Model model, Head head) {
        heads.put(model.modelId(), head.sha256());
        cache.revive(head.sha256());
        CompletableFuture<ArtifactRef> ref = new CompletableFuture<>();
        anticipation.submit(head.sha256(), "statistics", () -> Anticipation.URGENT,
                () -> ref.complete(inUse(() -> storeStatistics(model, head)))).whenComplete((ok, failed) -> {
                    if (failed != null) {
                        ref.completeExceptionally(failed);
                    }
                });
        ArtifactRef done;
        try {
            done = ref.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e; // e.g. "the engine is closing"
        }
        anticipate(model, head);
        return done;
    }

    private ArtifactRef storeStatistics(Model model, Head head) {
        Splits splits = splits(model);
        ClassStatistics stats = cache.peek(PreparedSides.statisticsKey(head.sha256(), sampling));
        if (stats == null) {
            try (Network net = load(model, head)) {
                stats = new PreparedSides(cache, head.sha256(), net, splits, sampling, open(model, head), 1)
                        .statistics();
            }
        }
        ArtifactRef done = stored.get(head.sha256());
        if (done == null) {
            done = store.put(stats.toBytes());
            stored.put(head.sha256(), done);
            if (!heads.containsValue(head.sha256())) { // retired while this ran: keep nothing of it
                retire(head, done.uri());
            }
        }
        return done;
    }

    /**
     * Queues, for every open class of the version, the two sides a request forgetting that class
     * alone needs (its forget samples at the version's seed, the retain projections of the other
     * classes), so that such a request finds them ready. Picked most likely first: versions that
     * are the head of more models, classes asked for more often.
     */
    private void anticipate(Model model, Head head) {
        Sampling atVersion = sampling.withSeed(Sampling.versionSeed(head.sha256()));
        for (int c : open(model, head)) {
            Set<Integer> one = Set.of(c);
            anticipation.submit(head.sha256(), "sides of class " + c, () -> likelihood(head.sha256(), c),
                    () -> inUse(() -> prepare(model, head, atVersion, one)));
        }
    }

    private double likelihood(String sha256, int c) {
        long models = heads.values().stream().filter(sha256::equals).count();
        return models * (1.0 + demand.getOrDefault(c, 0));
    }

    private Void prepare(Model model, Head head, Sampling atVersion, Set<Integer> one) {
        Unlearning.Params params = spec(model, one, null, atVersion.seed()).params();
        Set<Integer> open = open(model, head);
        Set<Integer> forgotten = new TreeSet<>(head.forgotten());
        forgotten.addAll(one);
        Set<Integer> retained = Classes.retained(model.labels().size(), forgotten);
        if (cache.isPresent(PreparedSides.retainKey(head.sha256(), atVersion, retained, params))
                && cache.isPresent(PreparedSides.forgetKey(head.sha256(), atVersion, one, params))) {
            return null;
        }
        try (Network net = load(model, head)) {
            PreparedSides sides = new PreparedSides(cache, head.sha256(), net, splits(model), atVersion, open,
                    likelihood(head.sha256(), one.iterator().next()));
            sides.retain(retained, params);
            sides.forget(one, params);
        }
        return null;
    }

    /**
     * Makes stored statistics (e.g. after a restart) available to the next request on {@code head}.
     * They are a cache: if the artifact is gone or unreadable, the version is left without
     * statistics and the next request captures them again. Only an unreachable store throws.
     */
    @Override
    public void adopt(Head head, String statisticsUri) {
        VersionCache.Key key = PreparedSides.statisticsKey(head.sha256(), sampling);
        cache.revive(head.sha256());
        if (!cache.isPresent(key)) {
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
                cache.put(key, PreparedSides.KEEP_STATISTICS, stats, stats.bytes());
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
        return cache.isPresent(PreparedSides.statisticsKey(head.sha256(), sampling));
    }

    /**
     * Forgets a version nothing points at any more: its queued background work, what the cache
     * holds of it, and its stored statistics (derived data of classes that may since have been
     * forgotten is kept no longer than it can serve a request).
     *
     * @param statisticsUri where its statistics were stored, or null
     */
    @Override
    public void retire(Head head, String statisticsUri) {
        heads.values().removeIf(head.sha256()::equals);
        anticipation.retire(head.sha256());
        cache.dropVersion(head.sha256());
        ArtifactRef ref = stored.remove(head.sha256());
        String uri = statisticsUri != null ? statisticsUri : ref != null ? ref.uri() : null;
        if (uri != null) {
            store.delete(uri);
        }
    }

    /** What the cache holds of a version, in bytes (statistics and prepared sides). */
    public long cachedBytes(Head head) {
        return cache.bytes(head.sha256());
    }

    /** What the cache holds over all versions; never more than its budget once a computation is kept. */
    public long cachedBytes() {
        return cache.bytes();
    }

    /**
     * Runs on the background worker before each of its jobs: native pools sized per thread
     * (PyTorch's are) follow the calls made on that thread, not the requests'.
     */
    public void beforeEachBackgroundJob(Runnable hook) {
        anticipation.beforeEachJob(hook);
    }

    /** Whether the background has nothing queued or running (benchmarks and tests wait for it). */
    public boolean backgroundIdle() {
        return anticipation.idle();
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

    /** The version's classes not forgotten yet. */
    private static Set<Integer> open(Model model, Head head) {
        return Classes.retained(model.labels().size(), head.forgotten());
    }

    @Override
    public void close() {
        anticipation.close(); // first: its running job holds a network, and the lock below waits for it
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                cache.clear();
                manager.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * Runs work that holds networks in this service's native memory. {@link #close} waits for
     * it (freeing a network under a running forward pass, e.g. a background statistics capture
     * at shutdown, crashes the JVM), and nothing starts after it.
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
