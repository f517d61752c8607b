package dev.lethe.stream;

import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Unlearner;
import dev.lethe.engine.UnlearningService;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.ArtifactRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine stand-in for topology tests: real validation, fake weights derived from the inputs. */
final class FakeUnlearner implements Unlearner {
    final List<Set<Integer>> forgotten = new ArrayList<>();
    final AtomicInteger precomputed = new AtomicInteger();
    volatile RuntimeException failNext;

    @Override
    public Set<Integer> validate(UnlearningService.Model model, UnlearningService.Head head, Set<Integer> classes) {
        return ForgetJob.validate(classes, head.forgotten(), model.labels().size());
    }

    @Override
    public UnlearningService.Produced forget(UnlearningService.Model model, UnlearningService.Head head,
                                             Set<Integer> classes, Manifest.Alphas override, long seed) {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            throw e;
        }
        Set<Integer> all = validate(model, head, classes);
        forgotten.add(classes);
        byte[] weights = (head.sha256() + classes + seed).getBytes(StandardCharsets.UTF_8);
        String sha = ModelFiles.sha256(weights);
        Manifest.Alphas a = override != null ? override : model.defaults();
        ArtifactRef patch = new ArtifactRef("mem://patch-" + sha, sha, 1);
        return new UnlearningService.Produced(new ArtifactRef("mem://" + sha, sha, weights.length), patch, all, a,
                Sampling.DEFAULT.withSeed(seed), 0, true, 0.95, 0.0, "fake", 0.01, false);
    }

    @Override
    public ArtifactRef precompute(UnlearningService.Model model, UnlearningService.Head head) {
        precomputed.incrementAndGet();
        return new ArtifactRef("mem://stats-" + head.sha256(), head.sha256(), 1);
    }

    @Override
    public void adopt(UnlearningService.Head head, String statisticsUri) {
    }

    @Override
    public boolean hasStatistics(UnlearningService.Head head) {
        return true;
    }
}
