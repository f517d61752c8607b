package dev.lethe.unlearn;

import static dev.lethe.unlearn.TestMatrices.assertSameBits;
import static dev.lethe.unlearn.TestMatrices.gaussian;
import static dev.lethe.unlearn.TestMatrices.relativeError;
import static dev.lethe.unlearn.TestMatrices.withSingularValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class UnlearningTest {
    private static final double[] DECAYING = {1, 0.6, 0.3, 0.1, 0.05, 0.02, 0.01, 0.004, 0.001};

    /** Two layers, given in non-sorted order: a conv (flattened, d = 27) and a head (d = 16). */
    private final Map<String, INDArray> weights = new HashMap<>(Map.of(
            "head.weight", gaussian(61, 4, 16).castTo(DataType.FLOAT),
            "features.0.weight", gaussian(62, 8, 27).castTo(DataType.FLOAT)));
    private final Map<String, Gram> retainGrams = Map.of(
            "head.weight", Gram.of(withSingularValues(63, 16, 40, DECAYING)),
            "features.0.weight", Gram.of(withSingularValues(64, 27, 60, DECAYING)));
    private final Map<String, Gram> forgetGrams = Map.of(
            "head.weight", Gram.of(withSingularValues(65, 16, 20, DECAYING)),
            "features.0.weight", Gram.of(withSingularValues(66, 27, 30, DECAYING)));

    @Test
    void paramsAreValidated() {
        new Unlearning.Params(100, 3, 0);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new Unlearning.Params(bad, 3, 1e-3));
            assertThrows(IllegalArgumentException.class, () -> new Unlearning.Params(100, bad, 1e-3));
        }
        for (double bad : new double[] {-1e-9, 1, 2, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new Unlearning.Params(100, 3, bad));
        }
    }

    @Test
    void exactPatchesEqualTheDenseUpdateOfEveryLayer() {
        Unlearning.Params p = new Unlearning.Params(100, 3, 0);
        Map<String, Basis> retain = Unlearning.bases(retainGrams);
        Map<String, Basis> forget = Unlearning.bases(forgetGrams);
        Map<String, LowRankPatch> patches = Unlearning.patches(weights, retain, forget, p);
        assertEquals(List.of("features.0.weight", "head.weight"), List.copyOf(patches.keySet()));
        Map<String, INDArray> updated = Unlearning.apply(weights, patches);
        assertEquals(List.of("features.0.weight", "head.weight"), List.copyOf(updated.keySet()));
        for (String name : weights.keySet()) {
            INDArray dense = LayerUpdate.dense(weights.get(name).castTo(DataType.DOUBLE),
                    Projection.scaled(retain.get(name), 100), Projection.scaled(forget.get(name), 3));
            assertEquals(DataType.FLOAT, updated.get(name).dataType());
            assertTrue(relativeError(updated.get(name), dense) < 1e-6, name); // float weights
        }
    }

    @Test
    void toleranceDropsDirectionsWithinTheDerivedBound() {
        Unlearning.Params p = new Unlearning.Params(100, 3, 1e-2);
        Map<String, Basis> retain = Unlearning.bases(retainGrams);
        Map<String, Basis> forget = Unlearning.bases(forgetGrams);
        Map<String, LowRankPatch> exact = Unlearning.patches(weights, retain, forget, new Unlearning.Params(100, 3, 0));
        // The fast path: truncated solves, then patches from them.
        Map<String, LowRankPatch> fast = Unlearning.patches(weights,
                Unlearning.bases(retainGrams, 100, 1e-2), Unlearning.bases(forgetGrams, 3, 1e-2), p);
        for (String name : weights.keySet()) {
            INDArray w = weights.get(name).castTo(DataType.DOUBLE);
            assertTrue(fast.get(name).rank() < exact.get(name).rank(), name);
            // D - D' = W (I - M_r)(M_f - M_f') + W (M_r' - M_r) M_f', so |D - D'| <= |W| (dropped_f + dropped_r).
            double droppedF = droppedLambda(forget.get(name), 3, 1e-2);
            double droppedR = droppedLambda(retain.get(name), 100, 1e-2);
            double bound = w.norm2Number().doubleValue() * (droppedF + droppedR);
            double error = fast.get(name).applyTo(w).sub(exact.get(name).applyTo(w)).norm2Number().doubleValue();
            assertTrue(error > 0 && error <= bound * (1 + 1e-9), name + ": error " + error + ", bound " + bound);
        }
    }

    @Test
    void requestsAreReproducibleToTheBit() {
        Unlearning.Params p = new Unlearning.Params(100, 3, 1e-3);
        Map<String, INDArray> first = Unlearning.apply(weights, Unlearning.patches(weights,
                Unlearning.bases(retainGrams, 100, 1e-3), Unlearning.bases(forgetGrams, 3, 1e-3), p));
        Map<String, INDArray> second = Unlearning.apply(weights, Unlearning.patches(weights,
                Unlearning.bases(retainGrams, 100, 1e-3), Unlearning.bases(forgetGrams, 3, 1e-3), p));
        for (String name : weights.keySet()) {
            assertSameBits(first.get(name), second.get(name));
        }
    }

    @Test
    void missingLayersAreNamed() {
        Map<String, Basis> retain = Unlearning.bases(retainGrams);
        Map<String, Basis> forget = new HashMap<>(Unlearning.bases(forgetGrams));
        forget.remove("head.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Unlearning.patches(weights, retain, forget, new Unlearning.Params(100, 3, 0)));
        assertTrue(e.getMessage().contains("head.weight"));
    }

    @Test
    void applyPassesUnpatchedLayersThrough() {
        Map<String, INDArray> updated = Unlearning.apply(weights, Map.of());
        assertSame(weights.get("head.weight"), updated.get("head.weight"));
    }

    @Test
    void perClassGramsSumLayerByLayer() {
        Map<String, Gram> classA = Map.of("l", Gram.of(gaussian(67, 5, 3)), "m", Gram.of(gaussian(68, 4, 2)));
        Map<String, Gram> classB = Map.of("l", Gram.of(gaussian(69, 5, 6)), "m", Gram.of(gaussian(70, 4, 1)));
        Map<String, Gram> total = Unlearning.sum(List.of(classA, classB));
        assertSameBits(classA.get("l").plus(classB.get("l")).matrix(), total.get("l").matrix());
        assertEquals(9, total.get("l").samples());
        assertEquals(3, total.get("m").samples());
        Map<String, Gram> missingM = Map.of("l", classA.get("l"));
        assertThrows(IllegalArgumentException.class, () -> Unlearning.sum(List.of(classA, missingM)));
        assertThrows(IllegalArgumentException.class, () -> Unlearning.sum(List.of()));
    }

    private static double droppedLambda(Basis full, double alpha, double tolerance) {
        int kept = full.kept(alpha, tolerance).size();
        return kept == full.size() ? 0 : ScaledImportance.lambda(alpha, full.energyRatios())[kept];
    }
}
