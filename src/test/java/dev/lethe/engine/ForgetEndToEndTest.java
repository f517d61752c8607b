package dev.lethe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Trains a small VGG on a subset of real Fashion-MNIST, then forgets classes with the whole
 * engine: the forgotten class must collapse while the others hold. A broken projection, a
 * transposed update or a wrong capture fails these thresholds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgetEndToEndTest {
    private NDManager manager;
    private Splits splits;
    private Network net;
    private byte[] trained;
    private Manifest manifest;

    @BeforeAll
    void trainSmallVgg() throws IOException {
        Splits full = FashionMnist.load(Prerequisites.fashionMnist());
        // A 12,000-image subset of the training part keeps training around half a minute.
        int[] subset = new int[12_000];
        for (int i = 0; i < subset.length; i++) {
            subset[i] = i;
        }
        Dataset train = full.train().select(subset);
        splits = Splits.of(train, full.test(), new Splits.Spec(200, 1));
        manager = NDManager.newBaseManager();
        net = Architecture.VGG.create(manager, 11);
        Training.train(net, splits.train(), new Training.Recipe(2, 64, 2e-3, 11), Training.Progress.NONE);
        trained = ModelFiles.weightBytes(net);
        manifest = new Manifest(Manifest.FORMAT, "vgg", FashionMnist.LABELS, null, null, null, null, List.of(),
                null, "test");
    }

    @AfterAll
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void forgettingTrousersCollapsesThemAndKeepsTheRest() {
        ModelFiles.loadSafetensors(net, trained);
        ClassAccuracy before = Evaluation.accuracy(net, splits.test());
        assertTrue(before.perClass(1) > 0.85, "the trained model knows trousers: " + before.perClass(1));
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, Set.of(1), null, Sampling.DEFAULT, null);
        ClassAccuracy after = Evaluation.accuracy(net, splits.test());
        Set<Integer> gone = Set.of(1);
        assertTrue(after.forgetAccuracy(gone) < 0.05, "forget accuracy " + after.forgetAccuracy(gone));
        assertTrue(before.retainAccuracy(gone) - after.retainAccuracy(gone) < 0.05,
                "retain accuracy " + before.retainAccuracy(gone) + " -> " + after.retainAccuracy(gone));
        assertTrue(Evaluation.mia(net, splits, gone).efficacy() > 0.8, "MIA efficacy");
        assertEquals(net.layers().size(), r.outcome().patches().size(), "every Conv2d/Linear layer is edited");
        assertNotEquals(ModelFiles.sha256(trained), ModelFiles.sha256(ModelFiles.weightBytes(net)));
    }

    @Test
    void sequentialRequestsForgetBothClasses() {
        ModelFiles.loadSafetensors(net, trained);
        ClassAccuracy before = Evaluation.accuracy(net, splits.test());
        // One fixed pair for both requests: this is about two requests in sequence, not about the
        // untuned default (which trades more of the other classes for surer forgetting).
        Manifest.Alphas pair = AlphaTable.PAPER;
        ForgetJob.Result first = ForgetJob.run(net, manifest, splits, Set.of(5), pair, Sampling.DEFAULT, null);
        Manifest afterFirst = manifest.derived(null, null, List.copyOf(first.allForgotten()), "test");
        ForgetJob.run(net, afterFirst, splits, Set.of(8), pair, Sampling.DEFAULT, null);
        ClassAccuracy after = Evaluation.accuracy(net, splits.test());
        Set<Integer> gone = Set.of(5, 8);
        assertTrue(after.perClass(5) < 0.05 && after.perClass(8) < 0.05,
                "sandal " + after.perClass(5) + ", bag " + after.perClass(8));
        assertTrue(before.retainAccuracy(gone) - after.retainAccuracy(gone) < 0.06,
                "retain accuracy " + before.retainAccuracy(gone) + " -> " + after.retainAccuracy(gone));
    }

    @Test
    void tuningScoresTheWholeGridOnValidationAndLeavesTheModelAsItWas() {
        ModelFiles.loadSafetensors(net, trained);
        Tuning.Report report = Tuning.tune(net, manifest, splits, Set.of(1), Sampling.DEFAULT, done -> { });
        List<AlphaSearch.Point> grid = report.grids().get(1);
        assertEquals(AlphaSearch.ALPHA_R.length * AlphaSearch.ALPHA_F.length * AlphaSearch.FORGET_RANKS.length,
                grid.size());
        for (AlphaSearch.Point p : grid) {
            assertTrue(Objective.DEFAULT.order().compare(grid.get(0), p) <= 0, "best first");
        }
        assertTrue(grid.get(0).forgetAccuracy() < 0.05, "the best pair forgets: " + grid.get(0));
        assertEquals(ModelFiles.sha256(trained), ModelFiles.sha256(ModelFiles.weightBytes(net)), "weights restored");
        assertEquals(grid.get(0).alphaR(), report.asManifestEntries().get("1").alphaR());
        assertEquals(grid.get(0).forgetRank(), report.asManifestEntries().get("1").forgetRank(),
                "the rank is stored with the pair it was chosen with");
        assertEquals(AlphaSearch.FORGET_RANKS.length, grid.stream().mapToInt(AlphaSearch.Point::forgetRank).distinct().count());
    }

    @Test
    void aRequestUsesTheForgetRankItsAlphasWereTunedFor() {
        ModelFiles.loadSafetensors(net, trained);
        // Class 1 tuned with its rank; the default pair (as manifests tuned before ranks existed) without one.
        Manifest tunedForOne = manifest.withAlphas(Map.of("1", new Manifest.Alphas(100, 3, "test", 1),
                AlphaTable.DEFAULT_KEY, new Manifest.Alphas(100, 3, "test")));
        ForgetJob.Result r = ForgetJob.run(net, tunedForOne, splits, Set.of(1), null, Sampling.DEFAULT, null);
        assertEquals(1, r.forgetRank());
        r.outcome().patches().forEach((layer, patch) -> assertEquals(1, patch.rank(), layer));
        ModelFiles.loadSafetensors(net, trained);
        ForgetJob.Result untuned = ForgetJob.run(net, tunedForOne, splits, Set.of(2), null, Sampling.DEFAULT, null);
        assertEquals(ForgetJob.DEFAULT_MAX_FORGET_RANK, untuned.forgetRank(), "class 2's pair carries no rank");
        assertTrue(untuned.outcome().patches().values().stream().anyMatch(p -> p.rank() > 1));
    }

    @Test
    void reCentringMovesOnlyTheBiasesOfTheHeadsKeptRowsAndThePaperUpdateNoBias() {
        ModelFiles.loadSafetensors(net, trained);
        Map<String, float[]> original = biases();
        ForgetSpec recentred = ForgetJob.spec(manifest, Set.of(1), null, Sampling.DEFAULT);
        assertTrue(recentred.recentreHead(), "the CLI's requests re-centre the head");
        ForgetJob.run(net, manifest, splits, new ForgetSpec(recentred.classes(), recentred.alphas(),
                recentred.forgetRank(), false, recentred.sampling()), null);
        biases().forEach((name, b) -> org.junit.jupiter.api.Assertions.assertArrayEquals(original.get(name), b, name));
        byte[] paper = ModelFiles.weightBytes(net);

        ModelFiles.loadSafetensors(net, trained);
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, recentred, null);
        assertTrue(r.recentredHead());
        String head = net.layers().get(net.layers().size() - 1).name() + ".bias";
        Map<String, float[]> after = biases();
        after.forEach((name, b) -> {
            if (!name.equals(head)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(original.get(name), b, name);
            }
        });
        assertEquals(original.get(head)[1], after.get(head)[1], "the forgotten class's row keeps its bias");
        for (int k = 0; k < 10; k++) {
            if (k != 1) {
                assertNotEquals(original.get(head)[k], after.get(head)[k], "kept row " + k + " is re-centred");
            }
        }
        assertTrue(after.get(head).length == 10 && !java.util.Arrays.equals(paper, ModelFiles.weightBytes(net)));
        assertTrue(Evaluation.accuracy(net, splits.test()).forgetAccuracy(Set.of(1)) < 0.05, "still forgets");
    }

    private Map<String, float[]> biases() {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        net.layers().stream().filter(l -> l.bias())
                .forEach(l -> out.put(l.name() + ".bias", net.get(l.name() + ".bias").toFloatArray()));
        return out;
    }

    @Test
    void requestsThatMakeNoSenseAreRefused() {
        Manifest oneGone = manifest.derived(null, null, List.of(3), "test");
        IllegalArgumentException again = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ForgetSpec.allForgotten(Set.of(3), Set.copyOf(oneGone.forgotten()), 10));
        assertTrue(again.getMessage().contains("already forgotten"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ForgetSpec.allForgotten(Set.of(10), Set.of(), 10));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ForgetSpec.allForgotten(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), Set.of(), 10));
        ForgetSpec tooStrong = new ForgetSpec(Set.of(1), new Manifest.Alphas(2e6, 3, "test"), 4, true, Sampling.DEFAULT);
        List<String> problems = tooStrong.problems(10, Set.of(3));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("alpha_r must be in (0, 1000000]"), problems.toString());
        assertEquals(List.of("the request names no class to forget"), ForgetSpec.classProblems(Set.of(), Set.of(), 10));
    }
}
