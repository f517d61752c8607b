package dev.lethe.unlearn;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Gram matrix {@code G = R R^T} (DOUBLE, d x d) of a layer's input representation R
 * (d x n, one column per input vector), with the number n of columns it summed and, when known,
 * their sum {@code R 1} (d): the first moment, which head re-centring needs
 * ({@link Recentring}). Statistics written before sums were kept have none.
 *
 * <p>Grams are additive over samples and classes, which is why they, not bases, are what a cache
 * keeps: the retain Gram of any subset of classes is a sum. Immutable: {@link #matrix()} returns
 * the backing array, which callers must not modify.
 */
public final class Gram {
    /** "LGRM" read as a little-endian int. */
    private static final int MAGIC = 0x4D52474C;
    /** Version 1: the matrix only. Version 2 appends a flag and, when set, the column sum. */
    private static final int VERSION_MATRIX_ONLY = 1;
    private static final int VERSION = 2;
    private static final int HEADER_BYTES = 4 + 4 + 4 + 8;

    private final INDArray matrix;
    private final long samples;
    private final double[] columnSum; // null: not recorded

    private Gram(INDArray matrix, long samples, double[] columnSum) {
        // One NaN would silently poison every later sum, and LAPACK does not reliably report it.
        if (!Double.isFinite(matrix.sumNumber().doubleValue())) {
            throw new IllegalArgumentException("Gram has non-finite entries");
        }
        if (columnSum != null) {
            if (columnSum.length != matrix.rows()) {
                throw new IllegalArgumentException("column sum has " + columnSum.length + " entries, Gram is "
                        + matrix.rows() + " x " + matrix.rows());
            }
            for (double v : columnSum) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("column sum has non-finite entries");
                }
            }
        }
        this.matrix = matrix;
        this.samples = samples;
        this.columnSum = columnSum;
    }

    /** The Gram of R (d x n), computed in double whatever R's dtype. */
    public static Gram of(INDArray r) {
        if (r.rank() != 2) {
            throw new IllegalArgumentException("R must be 2-D (d x n), got shape " + shape(r));
        }
        INDArray x = r.castTo(DataType.DOUBLE);
        if (x.ordering() != 'c' || x.isView()) {
            x = x.dup('c'); // dsyrk below reads a plain row-major buffer
        }
        int d = (int) x.rows();
        int n = (int) x.columns();
        if (n == 0) {
            return zeros(d);
        }
        // dsyrk forms only the upper triangle of the symmetric R R^T: half a GEMM's work.
        INDArray upper = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'c');
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, d, n, 1.0,
                (DoublePointer) x.data().addressPointer(), n, 0.0, (DoublePointer) upper.data().addressPointer(), d);
        // Mirroring makes G exactly symmetric, which keeps sums, bytes and eigen-solvers consistent.
        INDArray g = upper.add(upper.transpose());
        for (int i = 0; i < d; i++) {
            g.putScalar(i, i, upper.getDouble(i, i));
        }
        return new Gram(g, n, x.sum(1).toDoubleVector());
    }

    /**
     * Wraps (a copy of) an already accumulated Gram, e.g. one computed elsewhere. It must be
     * symmetric: the eigen-solver reads only its upper triangle.
     */
    public static Gram of(INDArray g, long samples) {
        return of(g, samples, null);
    }

    /** As above, with the columns' sum (d entries), or null where it was not recorded. */
    public static Gram of(INDArray g, long samples, double[] columnSum) {
        if (g.rank() != 2 || g.rows() != g.columns() || g.rows() == 0) {
            throw new IllegalArgumentException("Gram must be square d x d, got shape " + shape(g));
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        return new Gram(g.castTo(DataType.DOUBLE).dup('c'), samples, columnSum == null ? null : columnSum.clone());
    }

    /** The Gram of no samples: the identity of {@link #plus}. */
    public static Gram zeros(int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + d);
        }
        return new Gram(Nd4j.zeros(DataType.DOUBLE, d, d), 0, new double[d]);
    }

    /** The Gram of both sample sets together. */
    public Gram plus(Gram other) {
        if (other.dim() != dim()) {
            throw new IllegalArgumentException("dimension mismatch: " + dim() + " vs " + other.dim());
        }
        double[] sum = null;
        if (columnSum != null && other.columnSum != null) {
            sum = new double[columnSum.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = columnSum[i] + other.columnSum[i];
            }
        }
        return new Gram(matrix.add(other.matrix), Math.addExact(samples, other.samples), sum);
    }

    /** Left-to-right sum, so equal lists give equal bits. */
    public static Gram sum(List<Gram> grams) {
        if (grams.isEmpty()) {
            throw new IllegalArgumentException("cannot sum an empty list: its dimension is unknown");
        }
        Gram total = grams.get(0);
        for (int i = 1; i < grams.size(); i++) {
            total = total.plus(grams.get(i));
        }
        return total;
    }

    public INDArray matrix() {
        return matrix;
    }

    public long samples() {
        return samples;
    }

    /** Whether the columns' sum was recorded (statistics from before it was are matrix-only). */
    public boolean hasMean() {
        return columnSum != null;
    }

    /** The mean input vector (d), i.e. the column sum over the samples; zeros for no samples. */
    public double[] mean() {
        if (columnSum == null) {
            throw new IllegalStateException("this Gram was recorded without its column sum");
        }
        double[] m = new double[columnSum.length];
        for (int i = 0; i < m.length && samples > 0; i++) {
            m[i] = columnSum[i] / samples;
        }
        return m;
    }

    public int dim() {
        return (int) matrix.rows();
    }

    /** Sum of the diagonal: the total energy sum_i s_i^2 of R. */
    double trace() {
        double t = 0;
        for (int i = 0; i < dim(); i++) {
            t += matrix.getDouble(i, i);
        }
        return t;
    }

    /**
     * Little-endian bytes: int32 magic "LGRM", int32 version (2), int32 d, int64 samples, d*d
     * float64 entries in row-major order, then one byte (1 if the column sum follows, else 0) and
     * the sum's d float64 entries. Version 1 (no flag, no sum) is still read. Exact round trip.
     */
    public byte[] toBytes() {
        int d = dim();
        double[] values = Nd4j.toFlattened('c', matrix).toDoubleVector();
        long size = HEADER_BYTES + 8L * d * d + 1 + (columnSum == null ? 0 : 8L * d);
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(d).putLong(samples);
        for (double v : values) {
            buf.putDouble(v);
        }
        buf.put((byte) (columnSum == null ? 0 : 1));
        if (columnSum != null) {
            for (double v : columnSum) {
                buf.putDouble(v);
            }
        }
        return buf.array();
    }

    /** Reads {@link #toBytes()}'s format; rejects anything else with IllegalArgumentException. */
    public static Gram fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException("not a Gram: shorter than its " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a Gram: bad magic");
        }
        int version = buf.getInt();
        if (version != VERSION && version != VERSION_MATRIX_ONLY) {
            throw new IllegalArgumentException("unsupported Gram format version " + version);
        }
        int d = buf.getInt();
        long samples = buf.getLong();
        if (d <= 0 || samples < 0) {
            throw new IllegalArgumentException("corrupt Gram header: d=" + d + ", samples=" + samples);
        }
        long matrixEnd = HEADER_BYTES + 8L * d * d;
        if (version == VERSION && (bytes.length <= matrixEnd || (bytes[(int) matrixEnd] & ~1) != 0)) {
            throw new IllegalArgumentException("corrupt Gram: no valid column-sum flag after the matrix");
        }
        boolean withSum = version == VERSION && bytes[(int) matrixEnd] == 1;
        long expected = version == VERSION_MATRIX_ONLY ? matrixEnd : matrixEnd + 1 + (withSum ? 8L * d : 0);
        if (bytes.length != expected) {
            throw new IllegalArgumentException("corrupt Gram: " + bytes.length + " bytes for d=" + d
                    + ", expected " + expected);
        }
        double[] values = new double[d * d];
        buf.asDoubleBuffer().get(values);
        double[] sum = null;
        if (withSum) {
            sum = new double[d];
            buf.position((int) matrixEnd + 1);
            buf.asDoubleBuffer().get(sum);
        }
        return new Gram(Nd4j.createFromArray(values).reshape('c', d, d), samples, sum);
    }

    private static String shape(INDArray a) {
        return java.util.Arrays.toString(a.shape());
    }
}
