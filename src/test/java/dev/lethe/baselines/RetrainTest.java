package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.Dataset;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.ModelFiles;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Retraining is the gold standard only if it truly never sees the forgotten class. */
class RetrainTest {
    private static final Set<Integer> GONE = Set.of(Fixture.CLASS);

    @Test
    void neverSeesTheForgottenClassAndCannotRecogniseIt() {
        Fixture f = Fixture.get();
        Retrain retrain = new Retrain(dev.lethe.model.Training.Progress.NONE);
        byte[] honest;
        ClassAccuracy after;
        String original;
        try (ModelFiles.Loaded m = f.load()) {
            original = m.manifest().sha256();
            Outcome o = retrain.run(m.network(), m.manifest(), f.splits, GONE, retrain.defaultSeed(m.manifest()));
            assertEquals(Set.of(Fixture.CLASS), o.allForgotten());
            assertEquals(f.splits.train().size() - f.splits.train().indicesOfClass(Fixture.CLASS).length,
                    ((Number) o.settings().get("retain_samples")).intValue());
            honest = ModelFiles.weightBytes(m.network());
            after = Evaluation.accuracy(m.network(), f.splits.test());
        }
        assertNotEquals(original, ModelFiles.sha256(honest), "retrain replaced the weights");
        assertTrue(after.forgetAccuracy(GONE) < 0.01, "forget accuracy " + after.forgetAccuracy(GONE));
        assertTrue(after.retainAccuracy(GONE) > f.before.retainAccuracy(GONE) - 0.05,
                "retain accuracy " + f.before.retainAccuracy(GONE) + " -> " + after.retainAccuracy(GONE));

        // Replace every training image of the class by noise: a retrain that never reads them is unmoved.
        Splits scrambled = Splits.of(scramble(f.splits.train(), Fixture.CLASS), f.splits.test(), new Splits.Spec(0, 1));
        try (ModelFiles.Loaded m = f.load()) {
            retrain.run(m.network(), m.manifest(), scrambled, GONE, retrain.defaultSeed(m.manifest()));
            assertArrayEquals(honest, ModelFiles.weightBytes(m.network()), "retrain read the forgotten class's images");
        }
    }

    private static Dataset scramble(Dataset d, int cls) {
        float[] pixels = d.pixels().clone();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i : d.indicesOfClass(cls)) {
            for (int p = 0; p < d.imageSize(); p++) {
                pixels[i * d.imageSize() + p] = (float) rng.nextDouble();
            }
        }
        return new Dataset(pixels, d.labels(), d.rows(), d.cols(), d.numClasses());
    }
}
