package dev.lethe.unlearn;

import static dev.lethe.unlearn.TestMatrices.assertSameBits;
import static dev.lethe.unlearn.TestMatrices.gaussian;
import static dev.lethe.unlearn.TestMatrices.maxAbsDiff;
import static dev.lethe.unlearn.TestMatrices.relativeError;
import static dev.lethe.unlearn.TestMatrices.withSingularValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BasisTest {

    /** The EJML habit: one suite of standard shapes, run against both routes. */
    static Stream<Arguments> representations() {
        double[] spanning = new double[12];
        for (int i = 0; i < spanning.length; i++) {
            spanning[i] = Math.pow(10, -6.0 * i / (spanning.length - 1)); // s^2 from 1 down to 1e-12
        }
        return Stream.of(
                Arguments.of("tall (d > n)", gaussian(21, 40, 15)),
                Arguments.of("wide (d < n)", gaussian(22, 30, 90)),
                Arguments.of("rank-deficient", gaussian(23, 25, 3).mmul(gaussian(24, 3, 60))),
                Arguments.of("energies 1e-12..1", withSingularValues(25, 20, 50, spanning)),
                Arguments.of("repeated energies", withSingularValues(26, 10, 30, new double[] {3, 3, 3, 1, 1, 0.5})),
                Arguments.of("single column", gaussian(27, 9, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("representations")
    void gramRouteMatchesSvdRoute(String name, INDArray r) {
        Basis svd = Basis.fromSvd(r);
        Basis gram = Basis.fromGram(Gram.of(r));
        double top = svd.energies()[0];
        // Energies: the Gram route is accurate to round-off of the largest, not relatively.
        double[] g = gram.energies();
        double[] s = svd.energies();
        for (int i = 0; i < g.length; i++) {
            assertEquals(i < s.length ? s[i] : 0.0, g[i], 1e-13 * top, name + " energy " + i);
        }
        assertEquals(svd.totalEnergy(), gram.totalEnergy(), 1e-13 * svd.totalEnergy());
        for (double alpha : new double[] {3, 100}) {
            // Projectors, not vectors: signs and rotations within equal energies are arbitrary.
            assertTrue(maxAbsDiff(Projection.scaled(gram, alpha), Projection.scaled(svd, alpha)) < 1e-10, name);
        }
        assertOrthonormal(gram.vectors());
        assertOrthonormal(svd.vectors());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("representations")
    void truncatedSolveKeepsExactlyTheSignificantDirections(String name, INDArray r) {
        Gram g = Gram.of(r);
        Basis full = Basis.fromGram(g);
        for (double tolerance : new double[] {0, 1e-6, 1e-2, 0.5}) {
            Basis kept = Basis.fromGram(g, 3, tolerance);
            Basis expected = full.kept(3, tolerance);
            assertEquals(expected.size(), kept.size(), name + " tolerance " + tolerance);
            assertEquals(full.totalEnergy(), kept.totalEnergy(), 0.0);
            assertArrayEquals(expected.energies(), kept.energies(), 1e-13 * full.energies()[0]);
            assertArrayEquals(expected.energyRatios(), kept.energyRatios(), 1e-13);
            assertTrue(maxAbsDiff(Projection.scaled(kept, 3), Projection.scaled(expected, 3)) < 1e-10);
            assertOrthonormal(kept.vectors());
            double[] lambda = ScaledImportance.lambda(3, kept.energyRatios());
            for (int i = 1; i < lambda.length; i++) {
                assertTrue(lambda[i] >= tolerance);
            }
        }
    }

    @Test
    void aSmallRankIsSolvedForAloneAndMatchesTheFullSolveCut() {
        double[] spectrum = new double[40];
        for (int i = 0; i < spectrum.length; i++) {
            spectrum[i] = 1.0 / ((i + 1) * (i + 1)); // distinct, so each leading direction is defined
        }
        Gram g = Gram.of(withSingularValues(31, 120, 300, spectrum));
        Basis full = Basis.fromGram(g);
        for (int rank : new int[] {1, 2, 4, 19, 20, 0}) { // 1-19: partial solve (d = 120); 20 and up: full
            for (double tolerance : new double[] {1e-4, 0.3}) {
                Basis partial = Basis.fromGram(g, 10, tolerance, rank);
                Basis expected = full.kept(10, tolerance);
                if (rank > 0 && expected.size() > rank) {
                    expected = expected.leading(rank);
                }
                String what = "rank " + rank + ", tolerance " + tolerance;
                assertEquals(expected.size(), partial.size(), what);
                assertEquals(full.totalEnergy(), partial.totalEnergy(), 0.0, what);
                assertArrayEquals(expected.energies(), partial.energies(), 1e-13 * full.energies()[0], what);
                assertTrue(maxAbsDiff(Projection.scaled(partial, 10), Projection.scaled(expected, 10)) < 1e-10, what);
                assertOrthonormal(partial.vectors());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Basis.fromGram(g, 10, 1e-4, -1));
    }

    @Test
    void energiesDescendAndRatiosUseTheFullSpectrum() {
        Basis full = Basis.fromGram(Gram.of(gaussian(31, 16, 40)));
        double[] e = full.energies();
        for (int i = 1; i < e.length; i++) {
            assertTrue(e[i] <= e[i - 1]);
        }
        assertEquals(1.0, Arrays.stream(full.energyRatios()).sum(), 1e-12);
        Basis top = full.leading(3);
        assertEquals(3, top.size());
        assertEquals(16, top.dim());
        assertArrayEquals(Arrays.copyOf(full.energyRatios(), 3), top.energyRatios(), 0.0);
        assertTrue(Arrays.stream(top.energyRatios()).sum() < 1.0);
        assertThrows(IllegalArgumentException.class, () -> full.leading(0));
        assertThrows(IllegalArgumentException.class, () -> full.leading(17));
    }

    @Test
    void emptyLayerHasZeroRatiosAndStillOneDirection() {
        Gram nothing = Gram.zeros(5);
        Basis full = Basis.fromGram(nothing);
        assertEquals(5, full.size());
        assertArrayEquals(new double[5], full.energyRatios(), 0.0);
        Basis kept = Basis.fromGram(nothing, 3, 0.1);
        assertEquals(1, kept.size());
        assertArrayEquals(new double[1], kept.energyRatios(), 0.0);
        assertEquals(0.0, Projection.scaled(kept, 3).amaxNumber().doubleValue());
    }

    @Test
    void tinyNegativeEigenvaluesAreClampedToZero() {
        // Rank 2 in 6 dimensions: four eigenvalues are round-off around zero.
        Basis b = Basis.fromGram(Gram.of(gaussian(32, 6, 2).mmul(gaussian(33, 2, 8))));
        for (double e : b.energies()) {
            assertTrue(e >= 0);
        }
    }

    /** Catches a wrong OpenBLAS kernel: SkylakeX gives wrong eigenvectors for n >= 200 with info = 0. */
    @Test
    void eigenSolversReconstructA300x300SpdMatrix() {
        INDArray x = gaussian(34, 300, 320);
        INDArray a = x.mmul(x.transpose()).addi(Nd4j.eye(300).castTo(DataType.DOUBLE));
        a = a.add(a.transpose()).muli(0.5);
        INDArray copy = a.dup();

        INDArray v = a.dup('c');
        INDArray w = Nd4j.create(DataType.DOUBLE, 300);
        assertEquals(0, Nd4j.getBlasWrapper().lapack().syev('V', 'U', v, w));
        INDArray rebuilt = v.mulRowVector(w.reshape(1, 300)).mmul(v.transpose());
        assertTrue(relativeError(rebuilt, a) < 1e-9, "dsyev: " + relativeError(rebuilt, a));
        assertOrthonormal(v);

        // The same check for the dsyevd route Basis uses, which goes to LAPACK directly.
        SymmetricEigen.Pairs p = SymmetricEigen.solve(a);
        INDArray vectors = p.leading(300);
        INDArray values = Nd4j.createFromArray(p.values()).reshape(1, 300);
        INDArray again = vectors.mulRowVector(values).mmul(vectors.transpose());
        assertTrue(relativeError(again, a) < 1e-9, "dsyevd: " + relativeError(again, a));
        assertOrthonormal(vectors);
        // Both solvers agree on the eigenvalues.
        assertArrayEquals(Nd4j.reverse(w).toDoubleVector(), p.values(), 1e-12 * p.values()[0]);
        assertSameBits(copy, a); // the solvers work on copies
    }

    @Test
    void svdRouteIsCorrectOnAKnownSpectrum() {
        double[] s = {5, 2, 0.5};
        Basis b = Basis.fromSvd(withSingularValues(35, 8, 6, s));
        assertArrayEquals(new double[] {25, 4, 0.25}, Arrays.copyOf(b.energies(), 3), 1e-12);
        assertEquals(0.0, b.energies()[3], 1e-12);
    }

    static void assertOrthonormal(INDArray u) {
        INDArray gram = u.transpose().mmul(u);
        INDArray eye = Nd4j.eye(u.columns()).castTo(DataType.DOUBLE);
        assertTrue(maxAbsDiff(gram, eye) < 1e-12, "U^T U deviates by " + maxAbsDiff(gram, eye));
    }
}
