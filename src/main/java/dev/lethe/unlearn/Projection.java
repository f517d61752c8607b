package dev.lethe.unlearn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The scaled projection {@code M = U diag(lambda) U^T} of a basis. */
public final class Projection {
    private Projection() {}

    /**
     * M (DOUBLE, d x d, symmetric, eigenvalues in [0, 1]) for the directions the basis holds.
     * Formed as {@code (U * lambda) U^T}: one d x k x d product.
     */
    public static INDArray scaled(Basis b, double alpha) {
        INDArray lambda = Nd4j.createFromArray(ScaledImportance.lambda(alpha, b.energyRatios()));
        INDArray u = b.vectors();
        return u.mulRowVector(lambda.reshape(1, b.size())).mmul(u.transpose());
    }
}
