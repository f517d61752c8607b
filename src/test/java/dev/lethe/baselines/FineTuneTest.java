package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Training;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FineTuneTest {
    private static final Set<Integer> GONE = Set.of(Fixture.CLASS);

    @Test
    void keepsTheRetainedClassesAndLetsTheForgottenOneFade() {
        Fixture f = Fixture.get();
        FineTune ft = new FineTune(FineTune.DEFAULT_EPOCHS, Training.Progress.NONE);
        ClassAccuracy after;
        try (ModelFiles.Loaded m = f.load()) {
            ft.run(m.network(), m.manifest(), f.splits, GONE, ft.defaultSeed(m.manifest()));
            after = Evaluation.accuracy(m.network(), f.splits.test());
        }
        assertTrue(after.retainAccuracy(GONE) > f.before.retainAccuracy(GONE) - 0.02,
                "retain accuracy " + f.before.retainAccuracy(GONE) + " -> " + after.retainAccuracy(GONE));
        assertTrue(after.forgetAccuracy(GONE) < f.before.forgetAccuracy(GONE) / 2,
                "forget accuracy " + f.before.forgetAccuracy(GONE) + " -> " + after.forgetAccuracy(GONE));
    }
}
