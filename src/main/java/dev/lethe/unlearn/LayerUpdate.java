package dev.lethe.unlearn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One layer's update {@code W <- W - W (I - M_r) M_f}: every input x acts as
 * {@code x - (I - M_r) M_f x}, i.e. the part of the forget space not shared with the retain
 * space is removed.
 */
public final class LayerUpdate {
    private LayerUpdate() {}

    /**
     * The reference form, O(out d^2): W (out x d, any floating dtype) with the dense projections
     * M_r and M_f (d x d). Computed in double, returned in W's dtype.
     */
    public static INDArray dense(INDArray w, INDArray mRetain, INDArray mForget) {
        INDArray x = w.castTo(DataType.DOUBLE);
        INDArray outsideRetain = x.sub(x.mmul(mRetain.castTo(DataType.DOUBLE))); // W (I - M_r)
        return x.sub(outsideRetain.mmul(mForget.castTo(DataType.DOUBLE))).castTo(w.dataType()).dup('c');
    }

    /**
     * The same update as a patch, with {@code M_f = U_f Lambda_f U_f^T} over the kept forget
     * directions: {@code A = W (U_f - M_r U_f) Lambda_f} and {@code B = U_f^T}, in
     * O(out d k + d^2 k). Lambda_f uses the full spectrum's energy ratios, which the basis keeps.
     */
    public static LowRankPatch lowRank(INDArray w, INDArray mRetain, Basis forgetKept, double alphaF) {
        if (w.columns() != forgetKept.dim() || mRetain.rows() != forgetKept.dim()) {
            throw new IllegalArgumentException("weight has " + w.columns() + " inputs, M_r is "
                    + mRetain.rows() + " x " + mRetain.columns() + ", forget basis has d=" + forgetKept.dim());
        }
        INDArray u = forgetKept.vectors();
        INDArray lambda = Nd4j.createFromArray(ScaledImportance.lambda(alphaF, forgetKept.energyRatios()));
        // W U_f - W M_r U_f = W (U_f - M_r U_f): one product with W instead of two.
        INDArray outsideRetain = u.sub(mRetain.castTo(DataType.DOUBLE).mmul(u));
        INDArray a = w.castTo(DataType.DOUBLE).mmul(outsideRetain).muliRowVector(lambda.reshape(1, forgetKept.size()));
        return new LowRankPatch(a.dup('c'), u.transpose().dup('c'));
    }
}
