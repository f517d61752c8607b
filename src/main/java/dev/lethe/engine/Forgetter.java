package dev.lethe.engine;

import dev.lethe.model.LayerSpec;
import dev.lethe.model.Network;
import dev.lethe.patch.Patches;
import dev.lethe.unlearn.Gram;
import dev.lethe.unlearn.LowRankPatch;
import dev.lethe.unlearn.Recentring;
import dev.lethe.unlearn.Unlearning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the method on a network: statistics of the retain and forget samples through the
 * unchanged model, one basis per layer and side, then every layer's low-rank patch.
 */
public final class Forgetter {
    /** Directions whose scaled importance is below this are dropped (their effect is below it too). */
    public static final double TOLERANCE = 1e-4;

    private Forgetter() { }

    /** Where one layer's time went, in milliseconds, and how many directions each side kept. */
    public record LayerCost(String layer, int dim, double retainEigenMs, int retainRank, double forgetEigenMs,
                            int forgetRank) { }

    /**
     * The patches of one request and where its time went. The capture and eigen times count only
     * what this call computed; a side that was ready before the request (see {@link Sides})
     * costs nothing here, and its layers report the eigen times measured when it was prepared.
     *
     * @param retainReady the retain side was ready (or being prepared) before the request
     * @param forgetReady likewise the forget side
     */
    public record Outcome(Map<String, LowRankPatch> patches, double retainCaptureSeconds,
                          double forgetCaptureSeconds, double eigenSeconds, double updateSeconds,
                          List<LayerCost> layers, boolean retainReady, boolean forgetReady) {
        public double computeSeconds() {
            return retainCaptureSeconds + forgetCaptureSeconds + eigenSeconds + updateSeconds;
        }
    }

    /**
     * Patches that make {@code net} forget {@code forgetClasses}.
     *
     * @param sides where the retain and forget sides come from (computed now, or prepared)
     * @param retainClasses the classes that stay: all classes minus every class forgotten so far
     * @param recentreHead give the head's patch the bias shift of {@link Recentring} (false: the
     *     paper's update exactly)
     */
    public static Outcome forget(Network net, Sides sides, Set<Integer> retainClasses, Set<Integer> forgetClasses,
                                 Unlearning.Params params, boolean recentreHead) {
        Sides.Side<Sides.RetainSide> retain = sides.retain(retainClasses, params);
        Sides.Side<Sides.ForgetSide> forget = sides.forget(forgetClasses, params);
        long t0 = System.nanoTime();
        Map<String, LowRankPatch> patches = new LinkedHashMap<>();
        // The rounded factors are what a patch artifact holds; applying exactly those here lets a
        // fleet that applies the artifact to the parent reproduce this version's bytes.
        Unlearning.patchesFromProjections(Patches.weights(net), retain.value().projections(), forget.value().bases(), params)
                .forEach((layer, p) -> patches.put(layer, p.roundedToFloat()));
        if (recentreHead) {
            recentreHead(net, patches, retain.value().headMean(), retainClasses);
        }
        double update = (System.nanoTime() - t0) / 1e9;
        Sides.RetainSide r = retain.value();
        Sides.ForgetSide f = forget.value();
        return new Outcome(patches, retain.computedHere() ? r.captureSeconds() : 0,
                forget.computedHere() ? f.captureSeconds() : 0,
                (retain.computedHere() ? r.eigenSeconds() : 0) + (forget.computedHere() ? f.eigenSeconds() : 0),
                update, costs(net, r, f), !retain.computedHere(), !forget.computedHere());
    }

    private static List<LayerCost> costs(Network net, Sides.RetainSide r, Sides.ForgetSide f) {
        List<LayerCost> costs = new ArrayList<>();
        for (LayerSpec layer : net.layers()) {
            Sides.LayerSolve rs = r.solves().get(layer.weight());
            Sides.LayerSolve fs = f.solves().get(layer.weight());
            costs.add(new LayerCost(layer.weight(), layer.inputDim(), rs.millis(), rs.kept(), fs.millis(), fs.kept()));
        }
        return List.copyOf(costs);
    }

    /** As below, from the retain Grams summed over {@code retainClasses} (the alpha search's form). */
    static void recentreHead(Network net, Map<String, LowRankPatch> patches, Map<String, Gram> retainGrams,
                             Set<Integer> retainClasses) {
        Gram g = retainGrams.get(head(net).weight());
        recentreHead(net, patches, g.hasMean() ? g.mean() : null, retainClasses);
    }

    /**
     * Gives the classifier head's patch (already rounded) the bias shift of {@link Recentring}
     * for the rows of {@code retainClasses}, itself rounded to float like the factors.
     *
     * @param retainMean the retained classes' mean input to the head (null: not recorded)
     */
    static void recentreHead(Network net, Map<String, LowRankPatch> patches, double[] retainMean,
                             Set<Integer> retainClasses) {
        LayerSpec head = head(net);
        if (retainMean == null) {
            throw new IllegalStateException("retain statistics of " + head.name()
                    + " carry no mean (recorded by an older Lethe); capture them again");
        }
        boolean[] kept = new boolean[head.out()];
        retainClasses.forEach(c -> kept[c] = true);
        LowRankPatch p = patches.get(head.weight());
        patches.put(head.weight(), p.withBiasShift(Recentring.biasShift(p, retainMean, kept)).roundedToFloat());
    }

    /** The layer whose outputs are the logits: the last edited Linear (see {@link Network#head}). */
    static LayerSpec head(Network net) {
        return net.head();
    }
}
