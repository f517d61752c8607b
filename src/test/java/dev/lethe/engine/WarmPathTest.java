package dev.lethe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.model.Architecture;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The warm path on a real engine and real Fashion-MNIST samples (an MLP, so that preparing every
 * class takes seconds): prepared sides give exactly the bits a cold request computes, a warm
 * request computes nothing new, the cache keeps to its budget, and a retired version leaves
 * neither memory nor stored statistics behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class WarmPathTest {
    /** Fewer samples than a real request: the same code paths in a fraction of the time. */
    private static final Sampling SMALL = new Sampling(30, 150, 8, Sampling.DEFAULT.seed());
    private Path dir;
    private DirectoryArtifactStore store;
    private UnlearningService.Model model;
    private UnlearningService.Head head;
    private long versionSeed;

    @BeforeAll
    void storeAModel() throws IOException {
        dir = Files.createTempDirectory("lethe-warm");
        store = new DirectoryArtifactStore(dir);
        ArtifactRef base;
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 5)) {
            base = store.put(ModelFiles.weightBytes(net));
        }
        model = new UnlearningService.Model("m", "mlp", FashionMnist.LABELS, Prerequisites.fashionMnist().toString(),
                new AlphaTable(new Manifest.Alphas(100, 3, "test"), Map.of()));
        head = new UnlearningService.Head(0, base.sha256(), base.uri(), Set.of());
        versionSeed = Sampling.versionSeed(base.sha256());
    }

    @AfterAll
    void cleanUp() throws IOException {
        org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }

    private String cold(Set<Integer> classes, long seed) {
        try (UnlearningService fresh = new UnlearningService(store, SMALL)) {
            UnlearningService.Produced p = fresh.forget(model, head, classes, null, seed);
            assertFalse(p.warmRetainStatistics(), "a fresh engine captures the statistics itself");
            return p.artifact().sha256();
        }
    }

    private static void awaitBackground(UnlearningService s) throws InterruptedException {
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (!s.backgroundIdle()) {
            assertTrue(System.nanoTime() < deadline, "the background never finished preparing");
            Thread.sleep(20);
        }
    }

    @Test
    void preparedSidesGiveTheColdBitsAndAWarmRequestComputesNothingNew() throws Exception {
        try (UnlearningService s = new UnlearningService(store, SMALL)) {
            s.precompute(model, head);
            awaitBackground(s);
            long prepared = s.cachedBytes(head);
            UnlearningService.Produced warm = s.forget(model, head, Set.of(3), null, versionSeed);
            assertEquals(prepared, s.cachedBytes(head), "both sides of the request were ready");
            assertTrue(warm.warmRetainStatistics());
            assertEquals(cold(Set.of(3), versionSeed), warm.artifact().sha256());

            // Not prepared (two classes; a seed recorded before the version seed): computed in
            // the request, from the cached statistics, still the cold bits.
            assertEquals(cold(Set.of(2, 7), versionSeed),
                    s.forget(model, head, Set.of(2, 7), null, versionSeed).artifact().sha256());
            assertEquals(cold(Set.of(4), 1234L), s.forget(model, head, Set.of(4), null, 1234L).artifact().sha256());
        }
    }

    @Test
    void theCacheKeepsToItsBudgetAndStillGivesTheSameBits() throws Exception {
        long budget;
        try (UnlearningService unbounded = new UnlearningService(store, SMALL)) {
            unbounded.precompute(model, head);
            awaitBackground(unbounded);
            long all = unbounded.cachedBytes(head);
            budget = all / 2; // the statistics and some of the classes' sides
            assertTrue(all > 0 && unbounded.cachedBytes() == all);
        }
        try (UnlearningService s = new UnlearningService(store, SMALL, ForgetJob.DEFAULT_MAX_FORGET_RANK,
                budget)) {
            s.precompute(model, head);
            awaitBackground(s);
            assertTrue(s.cachedBytes() <= budget, s.cachedBytes() + " bytes cached, budget " + budget);
            assertTrue(s.hasStatistics(head), "the statistics are the last to go");
            for (int c : new int[] {0, 9}) {
                assertEquals(cold(Set.of(c), versionSeed),
                        s.forget(model, head, Set.of(c), null, versionSeed).artifact().sha256());
                assertTrue(s.cachedBytes() <= budget);
            }
        }
    }

    @Test
    void aRetiredVersionLeavesNoStatisticsInTheStoreOrInMemory() throws Exception {
        try (UnlearningService s = new UnlearningService(store, SMALL)) {
            ArtifactRef stats = s.precompute(model, head);
            assertTrue(store.exists(stats.uri()));
            s.retire(head, stats.uri());
            awaitBackground(s);
            assertFalse(store.exists(stats.uri()), "the stored statistics are deleted");
            assertFalse(s.hasStatistics(head));
            assertEquals(0, s.cachedBytes(head));
            assertTrue(store.exists(head.artifactUri()), "the weights stay: replay needs them");
        }
    }
}
