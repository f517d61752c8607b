package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SsdTest {
    private static final Set<Integer> GONE = Set.of(Fixture.CLASS);

    @Test
    void dampensExactlyWhereTheForgetImportanceDominatesAndNothingElse() {
        Fixture f = Fixture.get();
        try (ModelFiles.Loaded m = f.load()) {
            Network net = m.network();
            var data = SampleBank.draw(f.splits.train(), 100, 1).forClasses(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            var forget = ForgetData.of(f.splits.train(), GONE);
            Ssd.Importances iD = Ssd.importances(net, data, dev.lethe.model.Training.permutation(data.size(), new SplittableRandom(1)), 64);
            Ssd.Importances iDf = Ssd.importances(net, forget, Fixture.range(forget.size()), 64);
            assertEquals((data.size() + 63) / 64, iD.batches());
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            net.trainableNames().forEach(n -> before.put(n, net.get(n).toFloatArray()));
            double alpha = 10;
            double lambda = 1;
            long changed = Ssd.dampen(net, iD, iDf, alpha, lambda);
            long selected = 0;
            long total = 0;
            for (String name : net.trainableNames()) {
                float[] d = iD.values().get(name);
                float[] fi = iDf.values().get(name);
                float[] w0 = before.get(name);
                float[] w1 = net.get(name).toFloatArray();
                for (int i = 0; i < w0.length; i++) {
                    total++;
                    if (fi[i] > alpha * d[i]) {
                        selected++;
                        float expected = w0[i] * (float) Math.min(lambda * d[i] / fi[i], 1.0);
                        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(w1[i]), name + "[" + i + "]");
                        assertTrue(Math.abs(w1[i]) <= Math.abs(w0[i]));
                    } else {
                        assertEquals(Float.floatToRawIntBits(w0[i]), Float.floatToRawIntBits(w1[i]), name + "[" + i + "] moved");
                    }
                }
            }
            assertEquals(selected, changed);
            assertTrue(selected > 0 && selected < total / 2, selected + " of " + total + " dampened");
        }
    }

    @Test
    void forgetsTheClassAndReportsWhatItChanged() {
        Fixture f = Fixture.get();
        Ssd ssd = new Ssd(Ssd.Params.DEFAULT);
        ClassAccuracy after;
        try (ModelFiles.Loaded m = f.load()) {
            List<long[]> before = Fixture.bits(m.network());
            Outcome o = ssd.run(m.network(), m.manifest(), f.splits, GONE, 9);
            List<long[]> now = Fixture.bits(m.network());
            long moved = 0;
            for (int k = 0; k < before.size(); k++) {
                for (int i = 0; i < before.get(k).length; i++) {
                    moved += before.get(k)[i] != now.get(k)[i] ? 1 : 0;
                }
            }
            assertEquals(((Number) o.settings().get("parameters_dampened")).longValue(), moved,
                    "only the dampened values change, every one of them");
            assertTrue(Ssd.Params.DEFAULT.alphas().contains(((Number) o.settings().get("alpha")).doubleValue()));
            after = Evaluation.accuracy(m.network(), f.splits.test());
        }
        assertTrue(after.forgetAccuracy(GONE) < 0.2 * f.before.forgetAccuracy(GONE),
                "forget accuracy " + f.before.forgetAccuracy(GONE) + " -> " + after.forgetAccuracy(GONE));
        assertTrue(after.retainAccuracy(GONE) > f.before.retainAccuracy(GONE) - 0.1,
                "retain accuracy " + f.before.retainAccuracy(GONE) + " -> " + after.retainAccuracy(GONE));
    }

    /** Importances are taken in inference mode: BatchNorm's running statistics must not move. */
    @Test
    void leavesBatchNormStatisticsAlone() {
        Fixture f = Fixture.get();
        Splits small = Splits.of(f.splits.train().select(Fixture.range(200)), f.splits.test(), new Splits.Spec(0, 1));
        try (NDManager mg = NDManager.newBaseManager(); Network vgg = Architecture.VGG.create(mg, 3)) {
            Manifest manifest = new Manifest(Manifest.FORMAT, "vgg", FashionMnist.LABELS, Fixture.RECIPE, null, null,
                    null, List.of(), null, "test");
            Map<String, float[]> stats = new java.util.LinkedHashMap<>();
            vgg.state().forEach((n, a) -> {
                if (n.endsWith("running_mean") || n.endsWith("running_var")) {
                    stats.put(n, a.toFloatArray());
                }
            });
            long batches = vgg.get("features.1.num_batches_tracked").getLong();
            new Ssd(new Ssd.Params(List.of(10.0), 1, 10, 64)).run(vgg, manifest, small, GONE, 1);
            stats.forEach((n, v) -> assertArrayEquals(v, vgg.get(n).toFloatArray(), n));
            assertEquals(batches, vgg.get("features.1.num_batches_tracked").getLong());
        }
    }
}
