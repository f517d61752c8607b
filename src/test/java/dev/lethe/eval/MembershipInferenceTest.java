package dev.lethe.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MembershipInferenceTest {
    /** Probabilities near 1, the way a trained model scores its training classes. */
    static double[] confident(int n, double meanGap, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(-meanGap * -Math.log(1 - r.nextDouble())); // 1 - p roughly exponential
        }
        return p;
    }

    /** Probabilities near 0, the way a model that forgot a class scores it. */
    static double[] forgotten(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.15 * r.nextDouble() * r.nextDouble();
        }
        return p;
    }

    // One Fashion-MNIST class of ten forgotten: 49,500 retained and 5,500 forgotten training images.
    private final double[] retainTrain = confident(49_500, 0.02, 1);

    @Test
    void forgottenClassScoredLowIsCalledNonMember() {
        // What a model retrained without the class looks like.
        MembershipInference.Result r = MembershipInference.efficacy(retainTrain, forgotten(5_500, 2),
                forgotten(1_000, 3));
        assertTrue(r.efficacy() > 0.9, r.toString());
        assertEquals(3_600, r.retainTrainUsed());
        assertEquals(400, r.forgetTrainUsed());
        assertEquals(1_000, r.forgetTestCount());
        assertTrue(r.attackTrainAccuracy() > 0.95, r.toString());
    }

    @Test
    void untouchedModelScoresLow() {
        // Forgotten class scored like the retained ones, train and test: nothing to separate.
        MembershipInference.Result r = MembershipInference.efficacy(retainTrain, confident(5_500, 0.02, 2),
                confident(1_000, 0.04, 3));
        assertTrue(r.efficacy() < 0.05, r.toString());
    }

    @Test
    void saturatedProbabilitiesDoNotPassForForgetting() {
        // Every probability exactly 1: with balanced sides LIBSVM's tie-break called all of
        // these non-members (efficacy 1.0); the kept proportions make it "member".
        double[] ones = new double[5_500];
        java.util.Arrays.fill(ones, 1.0);
        double[] retain = new double[49_500];
        java.util.Arrays.fill(retain, 1.0);
        MembershipInference.Result r = MembershipInference.efficacy(retain, ones,
                java.util.Arrays.copyOf(ones, 1_000));
        assertEquals(0.0, r.efficacy(), r.toString());
    }

    @Test
    void forgottenTestScoredLikeMembersIsCalledMember() {
        // The attack learnt "low means forgotten"; test samples that score high are members.
        MembershipInference.Result r = MembershipInference.efficacy(retainTrain, forgotten(5_500, 2),
                confident(1_000, 0.02, 4));
        assertTrue(r.efficacy() < 0.05, r.toString());
    }

    @Test
    void deterministicForTheSameInputsAndSeed() {
        double[] forgetTrain = confident(5_500, 0.05, 5);
        double[] forgetTest = confident(1_000, 0.08, 6);
        MembershipInference.Result a = MembershipInference.efficacy(retainTrain, forgetTrain, forgetTest, 11, 3_000);
        MembershipInference.Result b = MembershipInference.efficacy(retainTrain, forgetTrain, forgetTest, 11, 3_000);
        assertEquals(a, b);
        assertEquals(2_700, a.retainTrainUsed());
        assertEquals(300, a.forgetTrainUsed());
    }

    /**
     * Overlapping sides (most points become support vectors) are the solver's slow case: the
     * sample cap is what keeps it near a second (bench core measures that; the time is printed
     * here only so that a slow machine shows up in the build log).
     */
    @Test
    void overlappingSidesAreFittedOnAtMostTheCappedSample() {
        double[] forgetTrain = confident(5_500, 0.025, 7);
        double[] forgetTest = confident(1_000, 0.03, 8);
        long t0 = System.nanoTime();
        MembershipInference.Result r = MembershipInference.efficacy(retainTrain, forgetTrain, forgetTest);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MIA fit+score, overlapping sides: %.2f s, %s%n", s, r);
        long t1 = System.nanoTime();
        MembershipInference.efficacy(retainTrain, forgotten(5_500, 2), forgotten(1_000, 3));
        System.out.printf("MIA fit+score, separable sides: %.2f s%n", (System.nanoTime() - t1) / 1e9);
        assertTrue(r.retainTrainUsed() + r.forgetTrainUsed() <= MembershipInference.DEFAULT_MAX_SAMPLES, r.toString());
        assertTrue(r.forgetTrainUsed() > 0 && r.retainTrainUsed() > 0, r.toString());
        assertTrue(r.efficacy() >= 0 && r.efficacy() <= 1, r.toString());
    }

    @Test
    void quotaKeepsTheSidesProportions() {
        assertEquals(3_600, MembershipInference.retainQuota(49_500, 5_500, 4_000));
        assertEquals(3_200, MembershipInference.retainQuota(44_000, 11_000, 4_000));
        assertEquals(30, MembershipInference.retainQuota(30, 10, 4_000));
        assertEquals(1, MembershipInference.retainQuota(1, 100_000, 4_000));
        assertEquals(3_999, MembershipInference.retainQuota(100_000, 1, 4_000));
    }

    @Test
    void smallSidesAreUsedWhole() {
        MembershipInference.Result r = MembershipInference.efficacy(new double[] {0.99, 0.98, 0.97},
                new double[] {0.01, 0.02}, new double[] {0.03, 0.96}, 1, 2_000);
        assertEquals(3, r.retainTrainUsed());
        assertEquals(2, r.forgetTrainUsed());
        assertEquals(0.5, r.efficacy());
    }

    @Test
    void protocolConstants() {
        assertEquals(3.0, MembershipInference.C);
        assertEquals(1.0, MembershipInference.GAMMA);
        assertEquals(libsvm.svm_parameter.RBF, MembershipInference.parameters().kernel_type);
        assertEquals(libsvm.svm_parameter.C_SVC, MembershipInference.parameters().svm_type);
        assertEquals(0, MembershipInference.parameters().probability);
    }

    @Test
    void rejectsEmptyOrNonProbabilities() {
        double[] ok = {0.5};
        assertThrows(IllegalArgumentException.class, () -> MembershipInference.efficacy(new double[0], ok, ok));
        assertThrows(IllegalArgumentException.class, () -> MembershipInference.efficacy(ok, ok, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> MembershipInference.efficacy(ok, new double[] {Double.NaN}, ok));
        assertThrows(IllegalArgumentException.class, () -> MembershipInference.efficacy(ok, ok, new double[] {1.5}));
    }

    @Test
    void trueClassProbabilitiesFromLogits() {
        float ln3 = (float) Math.log(3);
        float[] logits = {0, ln3, 1000, 1000, 1000, 0};
        double[] p = MembershipInference.trueClassProbabilities(logits, new int[] {1, 0, 1}, 2);
        assertArrayEquals(new double[] {0.75, 0.5, 0}, p, 1e-7);
    }
}
