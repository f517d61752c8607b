package dev.lethe.engine;

import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Unlearning;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two halves of a request's update before the low-rank product: what the retained classes
 * ask of every layer (its scaled retain projection M_r) and what the forgotten ones do (the
 * kept forget directions). Both are functions of the weights, the classes, the parameters and
 * the seeded draws alone, so a side computed ahead of a request (cached) and inside it are
 * bit-identical; {@link InlineSides} computes them in the call, {@link PreparedSides} keeps them
 * per model version.
 */
public interface Sides {
    /** The retain side of the classes that stay after the request. */
    Side<RetainSide> retain(Set<Integer> retained, Unlearning.Params params);

    /** The forget side of the request's classes, at this source's sampling. */
    Side<ForgetSide> forget(Set<Integer> classes, Unlearning.Params params);

    /**
     * A side and where it came from.
     *
     * @param computedHere false when it was ready (or being prepared) before the request asked
     */
    record Side<T>(T value, boolean computedHere) { }

    /** One layer's eigen-solve: how long it took when it was computed, and how many directions it kept. */
    record LayerSolve(double millis, int kept) { }

    /**
     * Per layer M_r, and the retained classes' mean input to the classifier head (for head
     * re-centring; null when the statistics carry no means).
     *
     * @param captureSeconds forward passes spent on the retain statistics while computing this side
     */
    record RetainSide(Map<String, INDArray> projections, double[] headMean, Map<String, LayerSolve> solves,
                      double captureSeconds, double eigenSeconds) {
        public long bytes() {
            long b = headMean == null ? 0 : 8L * headMean.length;
            for (INDArray m : projections.values()) {
                b += m.length() * m.dataType().width();
            }
            return b;
        }
    }

    /** Per layer the forget directions the update keeps. */
    record ForgetSide(Map<String, Basis> bases, Map<String, LayerSolve> solves, double captureSeconds,
                      double eigenSeconds) {
        public long bytes() {
            long b = 0;
            for (Basis basis : bases.values()) {
                b += basis.vectors().length() * basis.vectors().dataType().width() + 8L * basis.energies().length;
            }
            return b;
        }
    }
}
