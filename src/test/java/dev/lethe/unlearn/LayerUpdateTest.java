package dev.lethe.unlearn;

import static dev.lethe.unlearn.TestMatrices.assertSameBits;
import static dev.lethe.unlearn.TestMatrices.gaussian;
import static dev.lethe.unlearn.TestMatrices.maxAbsDiff;
import static dev.lethe.unlearn.TestMatrices.orthonormal;
import static dev.lethe.unlearn.TestMatrices.relativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LayerUpdateTest {
    private static final double ALPHA_R = 100;
    private static final double ALPHA_F = 3;

    private final Basis retain = Basis.fromGram(Gram.of(gaussian(41, 20, 50)));
    // Rank 8 with energies 4^-i, so a tolerance drops some of its directions.
    private final Basis forget = Basis.fromGram(Gram.of(
            TestMatrices.withSingularValues(42, 20, 30, new double[] {1, 0.5, 0.25, 0.125, 0.06, 0.03, 0.015, 0.008})));
    private final INDArray w = gaussian(44, 7, 20);

    @Test
    void projectionIsASymmetricContraction() {
        for (Basis b : new Basis[] {retain, forget, forget.leading(3)}) {
            INDArray m = Projection.scaled(b, ALPHA_F);
            assertTrue(maxAbsDiff(m, m.transpose()) < 1e-15);
            INDArray values = Nd4j.create(DataType.DOUBLE, 20);
            assertEquals(0, Nd4j.getBlasWrapper().lapack().syev('N', 'U', m.dup('c'), values));
            assertTrue(values.minNumber().doubleValue() > -1e-12, "eigenvalue below 0");
            assertTrue(values.maxNumber().doubleValue() < 1 + 1e-12, "eigenvalue above 1");
            // Its eigenvalues are the lambdas of the directions it holds (zeros for the rest).
            double[] expected = Arrays.copyOf(ScaledImportance.lambda(ALPHA_F, b.energyRatios()), 20);
            Arrays.sort(expected);
            assertArrayEquals(expected, values.toDoubleVector(), 1e-12);
        }
    }

    @Test
    void lowRankEqualsDense() {
        INDArray mRetain = Projection.scaled(retain, ALPHA_R);
        INDArray dense = LayerUpdate.dense(w, mRetain, Projection.scaled(forget, ALPHA_F));
        LowRankPatch patch = LayerUpdate.lowRank(w, mRetain, forget, ALPHA_F);
        assertEquals(20, patch.rank());
        assertTrue(relativeError(patch.applyTo(w), dense) < 1e-9);
        // The update is not trivially small, so the comparison means something.
        assertTrue(relativeError(dense, w) > 0.05);
    }

    @Test
    void keepingOnlySignificantDirectionsStaysWithinTheDroppedLambdas() {
        INDArray mRetain = Projection.scaled(retain, ALPHA_R);
        INDArray dense = LayerUpdate.dense(w, mRetain, Projection.scaled(forget, ALPHA_F));
        Basis kept = forget.kept(ALPHA_F, 0.05);
        assertTrue(kept.size() < 8, "something must be dropped, kept " + kept.size());
        // W (I - M_r) (M_f - M_f,kept): |I - M_r| <= 1 and |M_f - M_f,kept| is the largest dropped lambda.
        double dropped = ScaledImportance.lambda(ALPHA_F, forget.energyRatios())[kept.size()];
        double bound = w.norm2Number().doubleValue() * dropped;
        double error = LayerUpdate.lowRank(w, mRetain, kept, ALPHA_F).applyTo(w).sub(dense).norm2Number().doubleValue();
        assertTrue(error > 0 && error <= bound * (1 + 1e-9), "error " + error + ", bound " + bound);
    }

    @Test
    void floatWeightsStayFloatAndMatchTheDoubleUpdate() {
        INDArray wf = w.castTo(DataType.FLOAT);
        INDArray mRetain = Projection.scaled(retain, ALPHA_R);
        LowRankPatch patch = LayerUpdate.lowRank(wf, mRetain, forget, ALPHA_F);
        INDArray updated = patch.applyTo(wf);
        assertEquals(DataType.FLOAT, updated.dataType());
        assertEquals(DataType.FLOAT, LayerUpdate.dense(wf, mRetain, Projection.scaled(forget, ALPHA_F)).dataType());
        // Exactly the documented arithmetic: double GEMM, double subtraction, one rounding.
        INDArray reference = wf.castTo(DataType.DOUBLE).sub(patch.a().mmul(patch.b())).castTo(DataType.FLOAT);
        assertSameBits(reference, updated);
        assertSameBits(updated, patch.applyTo(wf));
        assertTrue(relativeError(updated, LayerUpdate.lowRank(w, mRetain, forget, ALPHA_F).applyTo(w)) < 1e-6);
        assertSameBits(w.castTo(DataType.FLOAT), wf); // input untouched
    }

    /** Axis-aligned data, so every factor is known in closed form. */
    @Test
    void structuredCaseMatchesClosedForm() {
        int d = 6;
        INDArray eye = Nd4j.eye(d).castTo(DataType.DOUBLE);
        INDArray rRetain = eye.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).mul(2);
        INDArray rForget = Nd4j.zeros(DataType.DOUBLE, d, 2);
        rForget.putScalar(0, 0, 1); // shared with the retain data (e1), energy 1
        rForget.putScalar(4, 1, 2); // forget-only (e5), energy 4
        INDArray mRetain = Projection.scaled(Basis.fromGram(Gram.of(rRetain)), ALPHA_R);
        LowRankPatch patch = LayerUpdate.lowRank(w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup(), mRetain,
                Basis.fromGram(Gram.of(rForget), ALPHA_F, 1e-6), ALPHA_F);
        INDArray w6 = w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup();
        INDArray updated = patch.applyTo(w6);
        assertEquals(2, patch.rank());

        double lambdaR = lambda(ALPHA_R, 0.25);
        double sharedFactor = 1 - lambda(ALPHA_F, 0.2) * (1 - lambdaR); // about 0.9875: almost unchanged
        double forgetFactor = 1 - lambda(ALPHA_F, 0.8); // about 0.077: suppressed
        assertColumnScaled(w6, updated, 0, sharedFactor);
        assertColumnScaled(w6, updated, 1, 1.0); // retain-only: untouched
        assertColumnScaled(w6, updated, 4, forgetFactor);
        assertColumnScaled(w6, updated, 5, 1.0); // seen by neither
        assertTrue(sharedFactor > 0.98 && forgetFactor < 0.08);
    }

    /** Random data: a retain column barely moves, a forget-only direction shrinks by 1 - lambda_f. */
    @Test
    void retainInputsPassAndForgetOnlyInputsAreSuppressed() {
        int d = 12;
        INDArray q = orthonormal(45, d, 5);
        INDArray retainSpan = q.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4));
        INDArray v = q.getColumn(4).reshape(d, 1); // orthogonal to all retain data
        INDArray rRetain = retainSpan.mmul(gaussian(46, 4, 40));
        INDArray rForget = Nd4j.hstack(retainSpan.mmul(gaussian(47, 4, 10)), v.mul(2), v.mul(2), v.mul(2));
        Basis retainBasis = Basis.fromGram(Gram.of(rRetain));
        Gram forgetGram = Gram.of(rForget);
        Basis forgetBasis = Basis.fromGram(forgetGram, ALPHA_F, 0);
        INDArray wd = gaussian(48, 9, d);
        INDArray mRetain = Projection.scaled(retainBasis, ALPHA_R);
        INDArray updated = LayerUpdate.lowRank(wd, mRetain, forgetBasis, ALPHA_F).applyTo(wd);

        double forgetFactor = 1 - lambda(ALPHA_F, 12 / forgetBasis.totalEnergy());
        INDArray before = wd.mmul(v);
        assertTrue(relativeError(updated.mmul(v), before.mul(forgetFactor)) < 1e-10);

        INDArray x = rRetain.getColumn(0).reshape(d, 1);
        double lambdaRMin = ScaledImportance.lambda(ALPHA_R, retainBasis.energyRatios())[3];
        double lambdaFMax = ScaledImportance.lambda(ALPHA_F, forgetBasis.energyRatios())[0];
        double bound = wd.norm2Number().doubleValue() * (1 - lambdaRMin) * lambdaFMax * x.norm2Number().doubleValue();
        double moved = updated.mmul(x).sub(wd.mmul(x)).norm2Number().doubleValue();
        assertTrue(moved <= bound + 1e-12, "moved " + moved + ", bound " + bound);
        assertTrue(relativeError(updated.mmul(x), wd.mmul(x)) < 0.1 * (1 - forgetFactor));
    }

    @Test
    void rejectsMismatchedShapes() {
        INDArray mRetain = Projection.scaled(retain, ALPHA_R);
        INDArray narrow = gaussian(49, 7, 19);
        assertThrows(IllegalArgumentException.class, () -> LayerUpdate.lowRank(narrow, mRetain, forget, ALPHA_F));
        LowRankPatch patch = LayerUpdate.lowRank(w, mRetain, forget, ALPHA_F);
        assertThrows(IllegalArgumentException.class, () -> patch.applyTo(gaussian(50, 6, 20)));
        assertThrows(IllegalArgumentException.class, () -> new LowRankPatch(gaussian(51, 7, 3), gaussian(52, 4, 20)));
    }

    private static double lambda(double alpha, double e) {
        return ScaledImportance.lambda(alpha, new double[] {e})[0];
    }

    private static void assertColumnScaled(INDArray before, INDArray after, int column, double factor) {
        INDArray expected = before.getColumn(column).mul(factor);
        assertTrue(maxAbsDiff(after.getColumn(column), expected) < 1e-12,
                "column " + column + " not scaled by " + factor);
    }
}
