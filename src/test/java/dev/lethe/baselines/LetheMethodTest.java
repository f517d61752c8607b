package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.ModelFiles;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LetheMethodTest {
    @Test
    void isExactlyTheEnginesRequestAndTimesAllOfIt() {
        Fixture f = Fixture.get();
        LetheMethod lethe = new LetheMethod(Sampling.DEFAULT, null);
        byte[] viaEngine;
        try (ModelFiles.Loaded m = f.load()) {
            ForgetJob.run(m.network(), m.manifest(), f.splits, Set.of(Fixture.CLASS), null, Sampling.DEFAULT, null);
            viaEngine = ModelFiles.weightBytes(m.network());
        }
        try (ModelFiles.Loaded m = f.load()) {
            Outcome o = lethe.run(m.network(), m.manifest(), f.splits, Set.of(Fixture.CLASS),
                    lethe.defaultSeed(m.manifest()));
            assertArrayEquals(viaEngine, ModelFiles.weightBytes(m.network()), "the default seed is the engine's");
            assertTrue(o.seconds() >= o.phases().get("compute"), o.seconds() + " < " + o.phases());
            assertEquals(AlphaTable.UNTUNED_DEFAULT.alphaR(), o.settings().get("alpha_r"), "an untuned model gets the untuned default");
            assertEquals(AlphaTable.UNTUNED_DEFAULT.forgetRank(), o.settings().get("forget_rank"), "and its one direction");
        }
    }

    @Test
    void cachedRetainStatisticsMakeTheSameModelAndLeaveTheCaptureOutOfTheRequest() {
        Fixture f = Fixture.get();
        LetheMethod cold = new LetheMethod(Sampling.DEFAULT, null);
        LetheMethod cached = new LetheMethod(Sampling.DEFAULT, null, true);
        assertEquals(LetheMethod.CACHED_ID, cached.id());
        byte[] coldBytes;
        double coldRetain;
        try (ModelFiles.Loaded m = f.load()) {
            Outcome o = cold.run(m.network(), m.manifest(), f.splits, Set.of(Fixture.CLASS), cold.defaultSeed(m.manifest()));
            coldRetain = o.phases().get("retain_statistics");
            coldBytes = ModelFiles.weightBytes(m.network());
        }
        for (int request = 0; request < 2; request++) {
            try (ModelFiles.Loaded m = f.load()) {
                Outcome o = cached.run(m.network(), m.manifest(), f.splits, Set.of(Fixture.CLASS),
                        cached.defaultSeed(m.manifest()));
                assertArrayEquals(coldBytes, ModelFiles.weightBytes(m.network()), "request " + request);
                // Only summing cached Grams is left in the request, not a capture over 9 classes' images.
                assertTrue(o.phases().get("retain_statistics") < coldRetain, o.phases() + " vs cold " + coldRetain);
                assertTrue((Double) o.settings().get("retain_statistics_once_seconds") > 0, o.settings().toString());
            }
        }
    }
}
