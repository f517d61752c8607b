package dev.lethe.unlearn;

import static dev.lethe.unlearn.TestMatrices.assertSameBits;
import static dev.lethe.unlearn.TestMatrices.gaussian;
import static dev.lethe.unlearn.TestMatrices.relativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GramTest {

    @Test
    void isRRTransposeInDoubleAndExactlySymmetric() {
        INDArray r = gaussian(1, 7, 11);
        Gram g = Gram.of(r);
        assertEquals(DataType.DOUBLE, g.matrix().dataType());
        assertEquals(7, g.dim());
        assertEquals(11, g.samples());
        double[][] rr = r.toDoubleMatrix();
        double[][] gg = g.matrix().toDoubleMatrix();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                double dot = 0;
                for (int t = 0; t < 11; t++) dot += rr[i][t] * rr[j][t];
                assertEquals(dot, gg[i][j], 1e-12 * Math.abs(dot) + 1e-13);
                assertEquals(gg[j][i], gg[i][j], 0.0);
            }
        }
    }

    /** Large enough for OpenBLAS's blocked kernels, where a wrong CPU kernel shows (DEPENDENCIES.md). */
    @Test
    void largeGramMatchesAPlainJavaProduct() {
        INDArray r = gaussian(13, 200, 300);
        double[][] rr = r.toDoubleMatrix();
        double[][] expected = new double[200][200];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 200; j++) {
                double dot = 0;
                for (int t = 0; t < 300; t++) dot += rr[i][t] * rr[j][t];
                expected[i][j] = dot;
            }
        }
        // Also through a transposed view, which must be copied before dsyrk reads it.
        Gram viaView = Gram.of(r.transpose().dup('c').transpose());
        for (Gram g : new Gram[] {Gram.of(r), viaView}) {
            assertTrue(relativeError(g.matrix(), Nd4j.createFromArray(expected)) < 1e-13);
        }
    }

    @Test
    void floatInputIsWidenedBeforeMultiplying() {
        INDArray r = gaussian(2, 5, 9).castTo(DataType.FLOAT);
        assertSameBits(Gram.of(r.castTo(DataType.DOUBLE)).matrix(), Gram.of(r).matrix());
    }

    @Test
    void isAdditiveOverSamples() {
        INDArray r1 = gaussian(3, 6, 10);
        INDArray r2 = gaussian(4, 6, 4);
        Gram whole = Gram.of(Nd4j.hstack(r1, r2));
        Gram parts = Gram.of(r1).plus(Gram.of(r2));
        assertTrue(relativeError(parts.matrix(), whole.matrix()) < 1e-14);
        assertEquals(14, parts.samples());
        Gram summed = Gram.sum(List.of(Gram.zeros(6), Gram.of(r1), Gram.of(r2)));
        assertSameBits(parts.matrix(), summed.matrix());
        assertEquals(14, summed.samples());
        assertThrows(IllegalArgumentException.class, () -> Gram.of(r1).plus(Gram.zeros(5)));
        assertThrows(IllegalArgumentException.class, () -> Gram.sum(List.of()));
    }

    @Test
    void sumIsDeterministic() {
        List<Gram> grams = List.of(Gram.of(gaussian(5, 8, 3)), Gram.of(gaussian(6, 8, 3)), Gram.of(gaussian(7, 8, 3)));
        assertArrayEquals(Gram.sum(grams).toBytes(), Gram.sum(grams).toBytes());
    }

    @Test
    void wrapsAnAccumulatedGramWithoutAliasing() {
        INDArray m = Gram.of(gaussian(8, 4, 6)).matrix().dup();
        Gram g = Gram.of(m, 6);
        m.addi(1.0);
        assertTrue(TestMatrices.maxAbsDiff(g.matrix(), m) > 0.5);
        assertThrows(IllegalArgumentException.class, () -> Gram.of(Nd4j.zeros(DataType.DOUBLE, 3, 4), 1));
        assertThrows(IllegalArgumentException.class, () -> Gram.of(Nd4j.zeros(DataType.DOUBLE, 3, 3), -1));
        assertThrows(IllegalArgumentException.class, () -> Gram.zeros(0));
    }

    @Test
    void nonFiniteInputIsRejected() {
        INDArray m = Nd4j.eye(4).castTo(DataType.DOUBLE);
        m.putScalar(1, 2, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> Gram.of(m, 1));
        INDArray r = gaussian(12, 4, 3);
        r.putScalar(0, 0, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> Gram.of(r));
    }

    @Test
    void bytesRoundTripExactly() {
        Gram g = Gram.of(gaussian(9, 13, 40)).plus(Gram.of(gaussian(10, 13, 2).muli(1e-150)));
        byte[] bytes = g.toBytes();
        assertEquals(20 + 8 * 13 * 13 + 1 + 8 * 13, bytes.length, "header, matrix, flag, column sum");
        Gram back = Gram.fromBytes(bytes);
        assertEquals(g.samples(), back.samples());
        assertEquals(DataType.DOUBLE, back.matrix().dataType());
        assertSameBits(g.matrix(), back.matrix());
        assertArrayEquals(bytes, back.toBytes());
        // The header is the documented little-endian layout.
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("LGRM", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(2, header.getInt(4));
        assertEquals(13, header.getInt(8));
        assertEquals(42L, header.getLong(12));
        assertEquals(g.matrix().getDouble(0, 1), header.getDouble(20 + 8));
    }

    @Test
    void rejectsBadBytes() {
        byte[] good = Gram.of(gaussian(11, 3, 5)).toBytes();
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(null));
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(Arrays.copyOf(good, 19)));
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(Arrays.copyOf(good, good.length + 8)));
        rejected(good, b -> b[0] = 'X');
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 3));
        rejected(good, b -> b[20 + 8 * 9] = 2); // the column-sum flag after the 3 x 3 matrix
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(20 + 8 * 9 + 1, Double.NaN));
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -3));
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 4));
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(12, -1));
        rejected(good, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(20 + 8 * 4, Double.NaN));
    }

    @Test
    void keepsTheColumnSumSoTheMeanInputIsKnown() {
        INDArray r1 = gaussian(21, 5, 7);
        INDArray r2 = gaussian(22, 5, 3);
        Gram g = Gram.of(r1).plus(Gram.of(r2));
        double[] expected = Nd4j.hstack(r1, r2).sum(1).div(10).toDoubleVector();
        double[] mean = g.mean();
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], mean[i], 1e-12);
        }
        Gram back = Gram.fromBytes(g.toBytes());
        assertTrue(back.hasMean());
        assertArrayEquals(mean, back.mean(), "the mean survives the bytes exactly");
        assertArrayEquals(new double[5], Gram.zeros(5).mean(), "no samples: a zero mean");
    }

    @Test
    void statisticsWithoutASumStillLoadAndSayTheyHaveNoMean() {
        Gram withSum = Gram.of(gaussian(23, 4, 6));
        Gram matrixOnly = Gram.of(withSum.matrix(), withSum.samples());
        assertFalse(matrixOnly.hasMean());
        assertThrows(IllegalStateException.class, matrixOnly::mean);
        assertFalse(withSum.plus(matrixOnly).hasMean(), "a sum with an unknown part is unknown");
        // Version 1 bytes (before sums were kept): the header and the matrix, nothing after.
        byte[] v2 = matrixOnly.toBytes();
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
        ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
        Gram old = Gram.fromBytes(v1);
        assertFalse(old.hasMean());
        assertSameBits(withSum.matrix(), old.matrix());
        assertThrows(IllegalArgumentException.class, () -> Gram.of(withSum.matrix(), 6, new double[3]));
    }

    private static void rejected(byte[] good, Consumer<byte[]> corrupt) {
        byte[] bad = good.clone();
        corrupt.accept(bad);
        assertThrows(IllegalArgumentException.class, () -> Gram.fromBytes(bad));
    }
}
