package dev.lethe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.patch.PatchArtifact;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The same model, request and parameters give the same weights: with retain statistics cached
 * or captured in the request, in this JVM or in fresh ones. Replay rests on this.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeterminismTest {
    private static final dev.lethe.model.AlphaTable TEST_ALPHAS =
            new dev.lethe.model.AlphaTable(new dev.lethe.model.Manifest.Alphas(100, 3, "test"), java.util.Map.of());
    private Path dir;
    private String data;
    private ArtifactRef base;

    @BeforeAll
    void storeAModel() throws IOException {
        dir = Files.createTempDirectory("lethe-determinism");
        data = Prerequisites.fashionMnist().toString();
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.VGG.create(m, 5)) {
            base = new DirectoryArtifactStore(dir).put(ModelFiles.weightBytes(net));
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }

    @Test
    void cachedAndColdRetainStatisticsGiveTheSameBits() {
        String cold = DeterminismProbe.run(dir, base.uri(), base.sha256(), "vgg", data, false);
        String warm = DeterminismProbe.run(dir, base.uri(), base.sha256(), "vgg", data, true);
        assertEquals(cold, warm);
        assertNotEquals(base.sha256(), cold, "the request changed the weights");
    }

    @Test
    void separateProcessesGiveTheSameBits() throws Exception {
        String here = DeterminismProbe.run(dir, base.uri(), base.sha256(), "vgg", data, false);
        assertEquals(here, inFreshJvm(false));
        assertEquals(here, inFreshJvm(true));
    }

    @Test
    void aPatchAppliedToTheParentGivesTheVersionsBytes() {
        try (UnlearningService s = new UnlearningService(new DirectoryArtifactStore(dir), Sampling.DEFAULT, 4)) {
            UnlearningService.Model model = new UnlearningService.Model("m", "vgg", FashionMnist.LABELS, data,
                    TEST_ALPHAS);
            UnlearningService.Produced p = s.forget(model, new UnlearningService.Head(0, base.sha256(), base.uri(),
                    java.util.Set.of()), java.util.Set.of(2), null, 99L);
            DirectoryArtifactStore store = new DirectoryArtifactStore(dir);
            byte[] child = PatchArtifact.apply("vgg", store.get(base.uri()), store.get(p.patch().uri()));
            assertEquals(p.artifact().sha256(), ModelFiles.sha256(child));
            assertEquals(4, PatchArtifact.decode(store.get(p.patch().uri())).values().stream()
                    .mapToInt(dev.lethe.unlearn.LowRankPatch::rank).max().orElseThrow(), "rank capped at 4");
            assertEquals(java.util.List.of("classifier.2.weight"), PatchArtifact.decode(store.get(p.patch().uri()))
                    .entrySet().stream().filter(e -> e.getValue().biasShift() != null).map(java.util.Map.Entry::getKey)
                    .toList(), "the head's bias shift travels with the patch");
            assertTrue(p.patch().size() * 5 < p.artifact().size(), "patch " + p.patch().size() + " B, weights "
                    + p.artifact().size() + " B");
        }
    }

    @Test
    void aClassTunedForFewerDirectionsGetsThemAndTheVersionSaysSo() {
        try (UnlearningService s = new UnlearningService(new DirectoryArtifactStore(dir), Sampling.DEFAULT, 4)) {
            UnlearningService.Model model = new UnlearningService.Model("m", "vgg", FashionMnist.LABELS, data,
                    new dev.lethe.model.AlphaTable(new dev.lethe.model.Manifest.Alphas(100, 3, "test"),
                            java.util.Map.of(2, new dev.lethe.model.Manifest.Alphas(100, 3, "tuned for class 2", 2))));
            UnlearningService.Head head = new UnlearningService.Head(0, base.sha256(), base.uri(), java.util.Set.of());
            UnlearningService.Produced tuned = s.forget(model, head, java.util.Set.of(2), null, 99L);
            assertEquals(2, tuned.spec().forgetRank(), "the rank recorded for replay is the one used");
            DirectoryArtifactStore store = new DirectoryArtifactStore(dir);
            assertEquals(2, PatchArtifact.decode(store.get(tuned.patch().uri())).values().stream()
                    .mapToInt(dev.lethe.unlearn.LowRankPatch::rank).max().orElseThrow());
            // Alphas sent with the request carry no rank: the service's own applies.
            UnlearningService.Produced byHand = s.forget(model, head, java.util.Set.of(2),
                    new dev.lethe.model.Manifest.Alphas(100, 3, "request"), 99L);
            assertEquals(4, byHand.spec().forgetRank());
            assertNotEquals(tuned.artifact().sha256(), byHand.artifact().sha256());
        }
    }

    @Test
    void aVersionMadeWithoutReCentringIsRebuiltWithoutIt() {
        try (UnlearningService s = new UnlearningService(new DirectoryArtifactStore(dir), Sampling.DEFAULT, 4)) {
            UnlearningService.Model model = new UnlearningService.Model("m", "vgg", FashionMnist.LABELS, data,
                    TEST_ALPHAS);
            UnlearningService.Head head = new UnlearningService.Head(0, base.sha256(), base.uri(), java.util.Set.of());
            ForgetSpec spec = s.spec(model, java.util.Set.of(2), null, 99L);
            ForgetSpec paperSpec = new ForgetSpec(spec.classes(), spec.alphas(), 4, false, spec.sampling());
            UnlearningService.Produced paper = s.forget(model, head, paperSpec);
            UnlearningService.Produced again = s.forget(model, head, paperSpec);
            UnlearningService.Produced recentred = s.forget(model, head, spec);
            assertEquals(4, spec.forgetRank());
            assertFalse(paper.spec().recentreHead());
            assertTrue(recentred.spec().recentreHead());
            assertEquals(paper.artifact().sha256(), again.artifact().sha256());
            assertNotEquals(paper.artifact().sha256(), recentred.artifact().sha256());
        }
    }

    @Test
    void statisticsStoredWithoutMeansAreCapturedAgainInsteadOfFailingTheRequest() throws IOException {
        DirectoryArtifactStore store = new DirectoryArtifactStore(dir);
        UnlearningService.Model model = new UnlearningService.Model("m", "vgg", FashionMnist.LABELS, data,
                TEST_ALPHAS);
        UnlearningService.Head head = new UnlearningService.Head(0, base.sha256(), base.uri(), java.util.Set.of());
        String current;
        try (UnlearningService s = new UnlearningService(store, Sampling.DEFAULT, 4)) {
            current = s.precompute(model, head).uri();
        }
        ClassStatistics withMeans = ClassStatistics.fromBytes(store.get(current));
        assertTrue(withMeans.hasMeans());
        String old = store.put(withoutMeans(withMeans)).uri(); // as a Lethe before Gram column sums stored them
        assertFalse(ClassStatistics.fromBytes(store.get(old)).hasMeans());
        try (UnlearningService s = new UnlearningService(store, Sampling.DEFAULT, 4)) {
            s.adopt(head, old);
            assertFalse(s.hasStatistics(head), "old statistics cannot re-centre the head: not adopted");
            UnlearningService.Produced p = s.forget(model, head, java.util.Set.of(2), null, 99L);
            assertFalse(p.warmRetainStatistics(), "the request captured its own");
            assertTrue(p.spec().recentreHead());
            s.adopt(head, current);
            assertTrue(s.hasStatistics(head));
        }
    }

    /** The artifact format of ClassStatistics, each Gram written without its column sum. */
    private static byte[] withoutMeans(ClassStatistics stats) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(0x4C435354);
            out.writeInt(1);
            out.writeInt(stats.classes().size());
            for (int c : stats.classes()) {
                out.writeInt(c);
                out.writeInt(stats.forClass(c).size());
                for (java.util.Map.Entry<String, dev.lethe.unlearn.Gram> layer : stats.forClass(c).entrySet()) {
                    out.writeUTF(layer.getKey());
                    byte[] g = dev.lethe.unlearn.Gram.of(layer.getValue().matrix(), layer.getValue().samples()).toBytes();
                    out.writeInt(g.length);
                    out.write(g);
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void closeWaitsForACaptureInFlightAndRefusesWorkAfterwards() throws Exception {
        UnlearningService s = new UnlearningService(new DirectoryArtifactStore(dir), Sampling.DEFAULT, 4);
        UnlearningService.Model model = new UnlearningService.Model("m", "vgg", FashionMnist.LABELS, data,
                TEST_ALPHAS);
        UnlearningService.Head head = new UnlearningService.Head(0, base.sha256(), base.uri(), java.util.Set.of());
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Future<ArtifactRef> capture = background.submit(() -> {
                started.countDown();
                return s.precompute(model, head);
            });
            started.await();
            s.close(); // frees the native memory the capture is using, unless it waits for it
            try {
                assertTrue(capture.get().uri().length() > 0, "the capture finished before the memory went");
            } catch (java.util.concurrent.ExecutionException refused) {
                assertTrue(refused.getCause() instanceof IllegalStateException, refused.toString());
            }
            IllegalStateException after = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> s.forget(model, head, java.util.Set.of(2), null, 1L));
            assertTrue(after.getMessage().contains("closed"), after.getMessage());
        } finally {
            background.shutdownNow();
        }
    }

    private String inFreshJvm(boolean warm) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", classpath, DeterminismProbe.class.getName()));
        cmd.addAll(DeterminismProbe.argsFor(dir, base.uri(), base.sha256(), "vgg", data, warm));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("probe failed: " + out);
        }
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim();
    }
}
