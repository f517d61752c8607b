package dev.lethe.unlearn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Head re-centring, Lethe's one addition to the paper's update (docs/algorithm.md).
 *
 * <p>The classifier head's update {@code W <- W - A B} removes the forget directions from every
 * row, including the rows of the classes that stay. The inputs of those classes have a
 * component along the removed directions too (the forget space is not centred), so each kept
 * class's logit moves by {@code -(A B x)_k}: on average by {@code -(A B mu_r)_k}, with mu_r the
 * retain samples' mean input. On look-alike classes that shift is not small and not even: after
 * forgetting T-shirt, Coat's logit gains on every garment and Shirt and Pullover lose half their
 * accuracy to it. Adding {@code (A B mu_r)_k} to the bias of every kept row undoes the shift on
 * average and leaves each image's own deviation from the mean edited as before. The forgotten
 * rows keep their bias, so their logits fall as much as the paper's update makes them.
 *
 * <p>Closed form, no gradient, no extra pass: mu_r comes from the retain statistics the request
 * already uses (the Gram's column sum).
 */
public final class Recentring {
    private Recentring() { }

    /**
     * The bias shift (out, DOUBLE) for a head patch: {@code (A (B mu))_k} for every kept row,
     * 0 for the rows of forgotten classes.
     *
     * @param retainMean the mean input of the layer over the retain samples (d)
     * @param kept whether each output row (class) stays
     */
    public static INDArray biasShift(LowRankPatch patch, double[] retainMean, boolean[] kept) {
        if (retainMean.length != patch.b().columns() || kept.length != patch.a().rows()) {
            throw new IllegalArgumentException("patch is " + patch.a().rows() + " x " + patch.b().columns()
                    + ", mean has " + retainMean.length + " entries, row mask " + kept.length);
        }
        INDArray mu = Nd4j.createFromArray(retainMean).reshape(retainMean.length, 1);
        INDArray shift = patch.a().mmul(patch.b().mmul(mu)).reshape(kept.length).dup('c');
        for (int k = 0; k < kept.length; k++) {
            if (!kept[k]) {
                shift.putScalar(k, 0.0);
            }
        }
        return shift;
    }
}
