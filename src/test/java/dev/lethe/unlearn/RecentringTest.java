package dev.lethe.unlearn;

import static dev.lethe.unlearn.TestMatrices.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RecentringTest {
    private static final int OUT = 6;
    private static final int D = 12;
    private static final int FORGOTTEN = 2;

    /** A head, retain inputs with a non-zero mean, and the paper's update of the head. */
    private final INDArray w = gaussian(81, OUT, D);
    private final INDArray bias = gaussian(82, OUT, 1).reshape(OUT);
    private final INDArray retain = gaussian(83, D, 40).addiColumnVector(gaussian(84, D, 1).muli(3));
    private final LowRankPatch patch = LayerUpdate.lowRank(w,
            Projection.scaled(Basis.fromGram(Gram.of(retain)), 100),
            Basis.fromGram(Gram.of(gaussian(85, D, 30).addiColumnVector(gaussian(86, D, 1).muli(3))), 3, 1e-6), 3);

    @Test
    void keptClassesKeepTheirMeanLogitOnTheRetainSamples() {
        boolean[] kept = keptAllBut(FORGOTTEN);
        double[] mean = Gram.of(retain).mean();
        LowRankPatch recentred = patch.withBiasShift(Recentring.biasShift(patch, mean, kept));
        INDArray before = meanLogits(w, bias);
        INDArray paper = meanLogits(patch.applyTo(w), bias);
        INDArray after = meanLogits(recentred.applyTo(w), recentred.applyToBias(bias));
        for (int k = 0; k < OUT; k++) {
            if (kept[k]) {
                assertEquals(before.getDouble(k), after.getDouble(k), 1e-9, "row " + k);
            }
        }
        // The paper's update alone moves them, which is what re-centring is for.
        assertNotEquals(before.getDouble(0), paper.getDouble(0), 1e-3);
        // The forgotten row keeps its bias: its logit moves exactly as the paper's update moves it.
        assertEquals(paper.getDouble(FORGOTTEN), after.getDouble(FORGOTTEN), 1e-12);
        assertEquals(0.0, recentred.biasShift().getDouble(FORGOTTEN));
    }

    @Test
    void theShiftIsRoundedWithTheFactorsAndAWeightOnlyPatchLeavesTheBias() {
        LowRankPatch recentred = patch.withBiasShift(Recentring.biasShift(patch, Gram.of(retain).mean(),
                keptAllBut(FORGOTTEN))).roundedToFloat();
        INDArray shift = recentred.biasShift();
        assertEquals(shift, shift.castTo(DataType.FLOAT).castTo(DataType.DOUBLE));
        assertNull(patch.biasShift());
        assertEquals(bias, patch.applyToBias(bias));
    }

    @Test
    void refusesShapesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class,
                () -> Recentring.biasShift(patch, new double[D - 1], keptAllBut(FORGOTTEN)));
        assertThrows(IllegalArgumentException.class,
                () -> Recentring.biasShift(patch, new double[D], new boolean[OUT + 1]));
        assertThrows(IllegalArgumentException.class, () -> patch.withBiasShift(Nd4j.zeros(DataType.DOUBLE, OUT + 1)));
        assertThrows(IllegalArgumentException.class,
                () -> patch.withBiasShift(Nd4j.zeros(DataType.DOUBLE, OUT)).applyToBias(Nd4j.zeros(OUT - 1)));
    }

    private INDArray meanLogits(INDArray weight, INDArray b) {
        return weight.castTo(DataType.DOUBLE).mmul(retain).mean(1).add(b.castTo(DataType.DOUBLE));
    }

    private static boolean[] keptAllBut(int forgotten) {
        boolean[] kept = new boolean[OUT];
        java.util.Arrays.fill(kept, true);
        kept[forgotten] = false;
        return kept;
    }
}
