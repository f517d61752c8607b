package dev.lethe.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScaledImportanceTest {
    private static final double[] ALPHAS = {1e-3, 0.1, 0.3, 0.7, 1, 3, 7.77, 10, 30, 100, 1000, 1e6};

    @Test
    void lambdaLiesInUnitIntervalAndIsMonotoneInEnergy() {
        double[] e = new double[2001];
        for (int i = 0; i < e.length; i++) {
            e[i] = i < 1000 ? Math.pow(10, -16 + 16.0 * i / 1000) : (i - 1000) / 1000.0; // log then linear
        }
        java.util.Arrays.sort(e);
        for (double alpha : ALPHAS) {
            double[] l = ScaledImportance.lambda(alpha, e);
            for (int i = 0; i < l.length; i++) {
                assertTrue(l[i] >= 0 && l[i] <= 1, "alpha " + alpha + " e " + e[i] + " -> " + l[i]);
                if (i > 0) {
                    assertTrue(l[i] >= l[i - 1], "not monotone at alpha " + alpha + ", e " + e[i]);
                }
            }
            assertEquals(0.0, l[0]);
        }
    }

    @Test
    void fullEnergyGivesExactlyOne() {
        for (double alpha : ALPHAS) {
            assertEquals(1.0, ScaledImportance.lambda(alpha, new double[] {1.0})[0], 0.0, "alpha " + alpha);
        }
    }

    @Test
    void matchesThePapersFormula() {
        // alpha = 3, e = 0.5: 1.5 / (2 * 0.5 + 1) = 0.75; alpha = 1 is the identity.
        assertEquals(0.75, ScaledImportance.lambda(3, new double[] {0.5})[0], 1e-15);
        assertEquals(0.123, ScaledImportance.lambda(1, new double[] {0.123})[0], 1e-15);
        double e = 1e-4;
        assertEquals(100 * e / (99 * e + 1), ScaledImportance.lambda(100, new double[] {e})[0], 1e-18);
    }

    @Test
    void rejectsBadAlpha() {
        for (double alpha : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> ScaledImportance.lambda(alpha, new double[] {0.5}));
        }
        assertThrows(IllegalArgumentException.class, () -> ScaledImportance.lambda(3, new double[] {Double.NaN}));
    }
}
