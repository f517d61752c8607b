package dev.lethe.unlearn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Orthonormal directions of a layer's input space (DOUBLE d x k, one per column) with their
 * energies {@code s_i^2}, sorted descending, plus the total energy of the full spectrum.
 *
 * <p>The total is kept separately because a basis may hold only its leading directions, while
 * energy ratios (and so every lambda) are always relative to all of the layer's input energy.
 * Immutable: {@link #vectors()} returns the backing array, which callers must not modify.
 */
public final class Basis {
    private final INDArray vectors;
    private final double[] energies;
    private final double totalEnergy;

    private Basis(INDArray vectors, double[] energies, double totalEnergy) {
        this.vectors = vectors;
        this.energies = energies;
        this.totalEnergy = totalEnergy;
    }

    /** Every direction, from a full symmetric eigen-solve (dsyev) of the Gram: the reference route. */
    public static Basis fromGram(Gram g) {
        requireFinite(g.trace());
        return of(SymmetricEigen.qr(g.matrix()), g);
    }

    /**
     * Only the leading directions whose scaled importance for {@code alpha} is at least
     * {@code tolerance} (always at least one): the ones an update needs; each dropped direction
     * has lambda below the tolerance, and tolerance 0 keeps all d. This is the one place a
     * truncated solver belongs; today it is a full divide-and-conquer solve (dsyevd), about four
     * times faster than {@link #fromGram(Gram)}'s dsyev and equal to it to round-off.
     */
    public static Basis fromGram(Gram g, double alpha, double tolerance) {
        ScaledImportance.requireAlpha(alpha);
        ScaledImportance.requireTolerance(tolerance);
        requireFinite(g.trace()); // LAPACK does not reliably report NaN input
        return of(SymmetricEigen.divideAndConquer(g.matrix()), g).kept(alpha, tolerance);
    }

    /** The reference route: left singular vectors of R (d x n), energies s^2. Slow for wide layers. */
    public static Basis fromSvd(INDArray r) {
        if (r.rank() != 2) {
            throw new IllegalArgumentException("R must be 2-D (d x n)");
        }
        int d = (int) r.rows();
        int k = (int) Math.min(d, r.columns());
        INDArray a = r.castTo(DataType.DOUBLE).dup('c'); // gesvd overwrites its input
        INDArray s = Nd4j.create(DataType.DOUBLE, k);
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'c'); // same layout as a, as LAPACKE expects
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, u, null);
        double[] energies = s.toDoubleVector();
        double total = 0;
        for (int i = 0; i < k; i++) {
            energies[i] *= energies[i];
            total += energies[i];
        }
        INDArray vectors = u.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('c');
        return new Basis(vectors, energies, total);
    }

    private static Basis of(SymmetricEigen.Pairs pairs, Gram g) {
        double[] energies = pairs.values();
        for (int i = 0; i < energies.length; i++) {
            // A Gram is positive semi-definite; negative eigenvalues are round-off of zero ones.
            energies[i] = Math.max(0.0, energies[i]);
        }
        // trace(G) = sum of all s_i^2, available even when only some eigenpairs were computed.
        return new Basis(pairs.vectors(), energies, Math.max(0.0, requireFinite(g.trace())));
    }

    /** e_i = s_i^2 / (sum over the full spectrum of s_j^2); all zeros if the layer saw nothing. */
    public double[] energyRatios() {
        double[] e = new double[energies.length];
        if (totalEnergy > 0) {
            for (int i = 0; i < e.length; i++) {
                e[i] = energies[i] / totalEnergy;
            }
        }
        return e;
    }

    /** The first k directions, keeping the full spectrum's total energy. */
    public Basis leading(int k) {
        if (k < 1 || k > size()) {
            throw new IllegalArgumentException("k must be in [1, " + size() + "], got " + k);
        }
        if (k == size()) {
            return this;
        }
        INDArray v = vectors.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('c');
        return new Basis(v, Arrays.copyOf(energies, k), totalEnergy);
    }

    /** The leading directions with lambda(alpha) >= tolerance, at least one. */
    public Basis kept(double alpha, double tolerance) {
        ScaledImportance.requireTolerance(tolerance);
        double[] lambda = ScaledImportance.lambda(alpha, energyRatios());
        int k = 1;
        while (k < lambda.length && lambda[k] >= tolerance) {
            k++;
        }
        return leading(k);
    }

    public INDArray vectors() {
        return vectors;
    }

    public double[] energies() {
        return energies.clone();
    }

    public double totalEnergy() {
        return totalEnergy;
    }

    /** The dimension d of the input space. */
    public int dim() {
        return (int) vectors.rows();
    }

    /** The number k of directions held. */
    public int size() {
        return energies.length;
    }

    private static double requireFinite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Gram has non-finite entries");
        }
        return v;
    }
}
