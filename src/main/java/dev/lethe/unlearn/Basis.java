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
    /** A partial eigen-solve pays off while the rank is under d / this (measured, see SymmetricEigen). */
    private static final int PARTIAL_SOLVE_LIMIT = 6;

    private final INDArray vectors;
    private final double[] energies;
    private final double totalEnergy;

    private Basis(INDArray vectors, double[] energies, double totalEnergy) {
        this.vectors = vectors;
        this.energies = energies;
        this.totalEnergy = totalEnergy;
    }

    /** Every direction, from a full symmetric eigen-solve of the Gram. */
    public static Basis fromGram(Gram g) {
        SymmetricEigen.Pairs pairs = SymmetricEigen.solve(g.matrix());
        return new Basis(pairs.leading(g.dim()), energies(pairs), totalEnergy(g));
    }

    /**
     * Only the leading directions whose scaled importance for {@code alpha} is at least
     * {@code tolerance} (always at least one): the ones an update needs. Each dropped direction
     * has lambda below the tolerance; tolerance 0 keeps all d. It truncates a full solve, which
     * measured faster than partial LAPACK solvers unless very few directions are kept (see
     * SymmetricEigen and the overload with a rank).
     */
    public static Basis fromGram(Gram g, double alpha, double tolerance) {
        ScaledImportance.requireAlpha(alpha);
        return significant(SymmetricEigen.solve(g.matrix()), g, alpha, tolerance);
    }

    /**
     * As above, at most {@code maxRank} directions (0: no limit). A small rank is solved for
     * alone ({@link SymmetricEigen#top}), which is what the forget side of a request needs; the
     * result equals {@code fromGram(g, alpha, tolerance)} cut to {@code maxRank} up to round-off
     * and the signs of the vectors (which no projection sees).
     */
    public static Basis fromGram(Gram g, double alpha, double tolerance, int maxRank) {
        if (maxRank < 0) {
            throw new IllegalArgumentException("maxRank must be >= 0 (0: no limit), got " + maxRank);
        }
        if (maxRank == 0 || (long) maxRank * PARTIAL_SOLVE_LIMIT >= g.dim()) {
            Basis all = fromGram(g, alpha, tolerance);
            return maxRank == 0 || all.size() <= maxRank ? all : all.leading(maxRank);
        }
        ScaledImportance.requireAlpha(alpha);
        return significant(SymmetricEigen.top(g.matrix(), maxRank), g, alpha, tolerance);
    }

    /** The leading pairs of a solve whose lambda(alpha) is at least {@code tolerance}. */
    private static Basis significant(SymmetricEigen.Pairs pairs, Gram g, double alpha, double tolerance) {
        double[] energies = energies(pairs);
        double total = totalEnergy(g);
        int k = keptCount(energies, total, alpha, tolerance);
        return new Basis(pairs.leading(k), Arrays.copyOf(energies, k), total);
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

    private static double[] energies(SymmetricEigen.Pairs pairs) {
        double[] energies = pairs.values();
        for (int i = 0; i < energies.length; i++) {
            // A Gram is positive semi-definite; negative eigenvalues are round-off of zero ones.
            energies[i] = Math.max(0.0, energies[i]);
        }
        return energies;
    }

    /** trace(G) = sum of all s_i^2: the total whether or not every direction is kept. */
    private static double totalEnergy(Gram g) {
        return Math.max(0.0, g.trace());
    }

    /** e_i = s_i^2 / (sum over the full spectrum of s_j^2); all zeros if the layer saw nothing. */
    public double[] energyRatios() {
        return ratios(energies, totalEnergy);
    }

    private static double[] ratios(double[] energies, double total) {
        double[] e = new double[energies.length];
        if (total > 0) {
            for (int i = 0; i < e.length; i++) {
                e[i] = energies[i] / total;
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
        return leading(keptCount(energies, totalEnergy, alpha, tolerance));
    }

    private static int keptCount(double[] energies, double total, double alpha, double tolerance) {
        ScaledImportance.requireTolerance(tolerance);
        double[] lambda = ScaledImportance.lambda(alpha, ratios(energies, total));
        int k = 1;
        while (k < lambda.length && lambda[k] >= tolerance) {
            k++;
        }
        return k;
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
}
