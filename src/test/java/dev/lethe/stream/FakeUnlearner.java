package dev.lethe.stream;

import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Unlearner;
import dev.lethe.engine.UnlearningService;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine stand-in for topology tests: real validation, fake weights derived from the inputs. */
final class FakeUnlearner implements Unlearner {
    final List<Set<Integer>> forgotten = new ArrayList<>();
    final AtomicInteger precomputed = new AtomicInteger();
    final AtomicInteger adopted = new AtomicInteger();
    /** Versions the processor retired (no head points at them), with the statistics URI it had for each. */
    final List<String> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, String> retiredStatistics = new ConcurrentHashMap<>();
    volatile RuntimeException failNext;
    /** What the next versions measure as their forget accuracy (the quality gate reads it). */
    volatile double forgetAccuracy = 0.0;
    /** When set, stored statistics cannot be loaded (the artifact is gone) and none are in memory. */
    volatile boolean statisticsArtifactsMissing;
    /** Artifact URI -> the sha256 of what is really there; registrations naming another are refused. */
    final Map<String, String> artifacts = new ConcurrentHashMap<>();
    static final Set<String> ARCHITECTURES = Set.of("mlp", "vgg", "resnet");

    /** As the real engine: unknown architecture or a false sha256 is refused with the reason. */
    @Override
    public void checkRegistration(UnlearningService.Model model, UnlearningService.Head base) {
        if (!ARCHITECTURES.contains(model.architecture())) {
            throw new IllegalArgumentException("unknown architecture '" + model.architecture() + "'");
        }
        String actual = artifacts.get(base.artifactUri());
        if (actual != null && !actual.equals(base.sha256())) {
            throw new IllegalArgumentException("artifact " + base.artifactUri() + " has sha256 " + actual
                    + ", the registration says " + base.sha256());
        }
    }

    @Override
    public ForgetSpec spec(UnlearningService.Model model, Set<Integer> classes, Manifest.Alphas override, long seed) {
        return ForgetSpec.resolve(classes, model.alphas(), override, 0, ForgetJob.RECENTRE_HEAD,
                Sampling.DEFAULT.withSeed(seed));
    }

    @Override
    public UnlearningService.Produced forget(UnlearningService.Model model, UnlearningService.Head head,
                                             ForgetSpec spec) {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            throw e;
        }
        Set<Integer> all = spec.allForgotten(model.labels().size(), head.forgotten());
        forgotten.add(spec.classes());
        byte[] weights = (head.sha256() + spec.classes() + spec.sampling().seed()).getBytes(StandardCharsets.UTF_8);
        String sha = ModelFiles.sha256(weights);
        ArtifactRef patch = new ArtifactRef("mem://patch-" + sha, sha, 1);
        return new UnlearningService.Produced(new ArtifactRef("mem://" + sha, sha, weights.length), patch, all, spec,
                0.95, forgetAccuracy, "fake", 0.01, false);
    }

    @Override
    public ArtifactRef precompute(UnlearningService.Model model, UnlearningService.Head head) {
        precomputed.incrementAndGet();
        return new ArtifactRef("mem://stats-" + head.sha256(), head.sha256(), 1);
    }

    @Override
    public void adopt(UnlearningService.Head head, String statisticsUri) {
        adopted.incrementAndGet();
        if (statisticsArtifactsMissing) {
            throw new ArtifactNotFoundException(statisticsUri);
        }
    }

    @Override
    public boolean hasStatistics(UnlearningService.Head head) {
        return !statisticsArtifactsMissing;
    }

    @Override
    public void retire(UnlearningService.Head head, String statisticsUri) {
        retired.add(head.sha256());
        if (statisticsUri != null) {
            retiredStatistics.put(head.sha256(), statisticsUri);
        }
    }
}
