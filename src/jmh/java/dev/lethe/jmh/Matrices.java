package dev.lethe.jmh;

import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Gram;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded synthetic inputs shaped like a layer's: activations with a decaying spectrum, as real ones have. */
final class Matrices {
    private Matrices() { }

    /**
     * R (d x n, DOUBLE): Gaussian rows scaled by 1/sqrt(1 + i), so the Gram's eigenvalues fall off
     * like a layer's instead of all being alike (which would make every basis look the same).
     */
    static INDArray activations(long seed, int d, int n) {
        Nd4j.getRandom().setSeed(seed);
        INDArray r = Nd4j.randn(DataType.DOUBLE, d, n);
        INDArray scale = Nd4j.create(DataType.DOUBLE, d, 1);
        for (int i = 0; i < d; i++) {
            scale.putScalar(i, 0, 1.0 / Math.sqrt(1 + i));
        }
        return r.muliColumnVector(scale);
    }

    /** A full basis of {@code activations(seed, d, 2 d)}'s Gram. */
    static Basis basis(long seed, int d) {
        return Basis.fromGram(Gram.of(activations(seed, d, 2 * d)));
    }

    /** A FLOAT weight (out x d) with PyTorch's default init scale, as the networks hold them. */
    static INDArray weight(long seed, int out, int d) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, out, d).subi(0.5).muli(2.0 / Math.sqrt(d));
    }
}
