package dev.lethe.unlearn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight update {@code W_new = W - a b} with a (out x k) and b (k x d), both DOUBLE, and
 * optionally a bias update {@code bias_new = bias + biasShift} (out; null: the bias stays), which
 * head re-centring uses ({@link Recentring}). Compact (k is the number of forget directions kept)
 * and self-contained, so it can be shipped to a serving fleet and applied to the previous model
 * version.
 */
public record LowRankPatch(INDArray a, INDArray b, INDArray biasShift) {
    public LowRankPatch {
        if (a.rank() != 2 || b.rank() != 2 || a.columns() != b.rows()) {
            throw new IllegalArgumentException("need a (out x k) and b (k x d), got "
                    + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        if (biasShift != null && biasShift.length() != a.rows()) {
            throw new IllegalArgumentException("bias shift has " + biasShift.length() + " entries for "
                    + a.rows() + " outputs");
        }
        a = a.castTo(DataType.DOUBLE);
        b = b.castTo(DataType.DOUBLE);
        biasShift = biasShift == null ? null : biasShift.castTo(DataType.DOUBLE).reshape(a.rows()).dup('c');
    }

    /** A weight-only patch. */
    public LowRankPatch(INDArray a, INDArray b) {
        this(a, b, null);
    }

    /** This patch with a bias shift. */
    public LowRankPatch withBiasShift(INDArray shift) {
        return new LowRankPatch(a, b, shift);
    }

    /** The bias after the patch: widened to double, shifted, rounded once back (a new array). */
    public INDArray applyToBias(INDArray bias) {
        if (biasShift == null) {
            return bias.dup('c');
        }
        if (bias.length() != biasShift.length()) {
            throw new IllegalArgumentException("bias has " + bias.length() + " entries, shift " + biasShift.length());
        }
        return bias.castTo(DataType.DOUBLE).reshape(biasShift.length()).add(biasShift).castTo(bias.dataType())
                .dup('c');
    }

    /**
     * THE patch arithmetic, which every applier must reproduce to get the same bytes: W is widened
     * to double, {@code a b} is one double GEMM, the difference is taken in double, and the result
     * is rounded once (to nearest) back to W's dtype. Returns a new c-order array; W is untouched.
     */
    public INDArray applyTo(INDArray w) {
        if (w.rank() != 2 || w.rows() != a.rows() || w.columns() != b.columns()) {
            throw new IllegalArgumentException("patch is " + a.rows() + " x " + b.columns()
                    + ", weight is " + java.util.Arrays.toString(w.shape()));
        }
        INDArray updated = w.castTo(DataType.DOUBLE).sub(a.mmul(b));
        return updated.castTo(w.dataType()).dup('c');
    }

    public int rank() {
        return (int) a.columns();
    }

    /**
     * The factors (and bias shift) rounded to float32 (and held as double again): what a patch artifact stores.
     * The processor applies the rounded patch itself, so that a fleet applying the artifact to
     * the parent gets the very bytes of the new version.
     */
    public LowRankPatch roundedToFloat() {
        return new LowRankPatch(a.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT),
                biasShift == null ? null : biasShift.castTo(DataType.FLOAT));
    }
}
