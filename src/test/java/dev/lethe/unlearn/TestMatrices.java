package dev.lethe.unlearn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test data built in plain Java, so it does not depend on ND4J's global RNG. */
final class TestMatrices {
    private TestMatrices() {}

    static INDArray gaussian(long seed, int rows, int cols) {
        Random rnd = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return Nd4j.createFromArray(m);
    }

    /** d x k with orthonormal columns (modified Gram-Schmidt of Gaussian columns). */
    static INDArray orthonormal(long seed, int d, int k) {
        double[][] q = gaussian(seed, k, d).toDoubleMatrix(); // rows are the vectors
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int t = 0; t < d; t++) dot += q[i][t] * q[j][t];
                for (int t = 0; t < d; t++) q[i][t] -= dot * q[j][t];
            }
            double norm = 0;
            for (int t = 0; t < d; t++) norm += q[i][t] * q[i][t];
            norm = Math.sqrt(norm);
            for (int t = 0; t < d; t++) q[i][t] /= norm;
        }
        return Nd4j.createFromArray(q).transpose().dup('c');
    }

    /** R = Q diag(s) P^T (d x n) with the given singular values (at most min(d, n) of them). */
    static INDArray withSingularValues(long seed, int d, int n, double[] s) {
        INDArray q = orthonormal(seed, d, s.length);
        INDArray p = orthonormal(seed + 1, n, s.length);
        return q.mulRowVector(Nd4j.createFromArray(s).reshape(1, s.length)).mmul(p.transpose());
    }

    static double relativeError(INDArray actual, INDArray expected) {
        double scale = expected.norm2Number().doubleValue();
        return actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).norm2Number().doubleValue()
                / (scale == 0 ? 1 : scale);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Bit-exact equality (INDArray.equals tolerates 1e-5), shape and dtype included. */
    static void assertSameBits(INDArray expected, INDArray actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape());
        org.junit.jupiter.api.Assertions.assertEquals(expected.dataType(), actual.dataType());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Nd4j.toFlattened('c', expected).toDoubleVector(),
                Nd4j.toFlattened('c', actual).toDoubleVector());
    }
}
