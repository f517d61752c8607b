package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Training;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NegGradPlusTest {
    private static final Set<Integer> GONE = Set.of(Fixture.CLASS);
    /**
     * The defaults, but ten passes: the fixture has only ~250 images of the class (three batches),
     * so ten passes give NegGrad+ about as many steps as one pass over a full Fashion-MNIST class.
     */
    private static final NegGradPlus.Params PARAMS = new NegGradPlus.Params(NegGradPlus.Params.DEFAULT.beta(), NegGradPlus.Params.DEFAULT.learningRate(), 10);

    @Test
    void ascendsOnTheForgetSetAndHoldsTheRest() {
        Fixture f = Fixture.get();
        NegGradPlus ng = new NegGradPlus(PARAMS, Training.Progress.NONE);
        ClassAccuracy after;
        byte[] first;
        try (ModelFiles.Loaded m = f.load()) {
            Outcome o = ng.run(m.network(), m.manifest(), f.splits, GONE, 5);
            assertEquals(10 * (f.splits.train().indicesOfClass(Fixture.CLASS).length / Fixture.RECIPE.batchSize()),
                    ((Number) o.settings().get("steps")).intValue());
            after = Evaluation.accuracy(m.network(), f.splits.test());
            first = ModelFiles.weightBytes(m.network());
        }
        assertTrue(after.forgetAccuracy(GONE) < 0.1 * f.before.forgetAccuracy(GONE),
                "forget accuracy " + f.before.forgetAccuracy(GONE) + " -> " + after.forgetAccuracy(GONE));
        assertTrue(after.retainAccuracy(GONE) > f.before.retainAccuracy(GONE) - 0.08,
                "retain accuracy " + f.before.retainAccuracy(GONE) + " -> " + after.retainAccuracy(GONE));
        try (ModelFiles.Loaded m = f.load()) {
            ng.run(m.network(), m.manifest(), f.splits, GONE, 5);
            assertArrayEquals(first, ModelFiles.weightBytes(m.network()), "same seed, same model");
        }
    }
}
