package dev.lethe.engine;

import dev.lethe.data.Classes;
import dev.lethe.data.Dataset;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.LayerSpec;
import dev.lethe.model.Network;
import dev.lethe.patch.Patches;
import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Gram;
import dev.lethe.unlearn.LowRankPatch;
import dev.lethe.unlearn.LayerUpdate;
import dev.lethe.unlearn.Projection;
import dev.lethe.unlearn.Unlearning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's hyper-parameter search: every (alpha_r, alpha_f) of a grid, measured on a
 * validation split held out from the training data and ranked by an {@link Objective} (the
 * paper's {@code ACC_r * (1 - ACC_f)}, or Lethe's forget target), here crossed with a few forget
 * ranks (directions kept per layer). The eigen-decompositions depend on neither, so they are
 * computed once per layer and side.
 *
 * <p>Why the rank is searched too: on look-alike classes the strongest forget direction is the
 * class itself and the next ones are shared with its neighbours (T-shirt with shirt, pullover
 * with coat), so the best number to remove differs between classes; measured on Fashion-MNIST,
 * docs/algorithm.md.
 *
 * <p>Every point is scored with the update a request makes, head re-centring included.
 */
public final class AlphaSearch {
    public static final double[] ALPHA_R = {10, 30, 100, 300, 1000};
    public static final double[] ALPHA_F = {1, 3, 10, 30, 100};
    /** Forget ranks the tuning tries: the default and fewer. */
    public static final int[] FORGET_RANKS = {1, 2, ForgetJob.DEFAULT_MAX_FORGET_RANK};

    private AlphaSearch() { }

    /** One scored grid point. */
    public record Point(double alphaR, double alphaF, int forgetRank, double retainAccuracy, double forgetAccuracy) {
        public double score() {
            return retainAccuracy * (1 - forgetAccuracy);
        }
    }

    /** Scores every grid point; the network is left as it was. Points come best first by {@code objective}. */
    public static List<Point> grid(Network net, Map<String, Gram> retainGrams, Map<String, Gram> forgetGrams,
                                   Dataset validation, Set<Integer> forgottenSoFar, Objective objective,
                                   int... forgetRanks) {
        Map<String, Basis> retain = Unlearning.bases(retainGrams);
        // Per rank, the very bases a request solves for (a small rank gets a partial solve).
        Map<Integer, Map<String, Basis>> forgetByRank = new LinkedHashMap<>();
        for (int rank : forgetRanks) {
            Map<String, Basis> bases = new LinkedHashMap<>();
            forgetGrams.forEach((layer, g) -> bases.put(layer, Basis.fromGram(g, ALPHA_F[0], 0, rank)));
            forgetByRank.put(rank, bases);
        }
        Map<String, INDArray> original = Patches.weights(net);
        Map<String, float[]> originalBiases = biases(net);
        Set<Integer> kept = Classes.retained(Forgetter.head(net).out(), forgottenSoFar);
        List<Point> points = new ArrayList<>();
        try {
            for (double ar : ALPHA_R) {
                // M_r depends on alpha_r only: build it once for the five alpha_f values.
                Map<String, INDArray> mRetain = new LinkedHashMap<>();
                retain.forEach((layer, b) -> mRetain.put(layer,
                        Projection.scaled(b.kept(ar, Forgetter.TOLERANCE), ar)));
                for (double af : ALPHA_F) {
                    for (int rank : forgetRanks) {
                        Map<String, LowRankPatch> patches = new LinkedHashMap<>();
                        Unlearning.Params p = new Unlearning.Params(ar, af, Forgetter.TOLERANCE, rank);
                        Map<String, Basis> forget = forgetByRank.get(rank);
                        // The same update a request makes: same kept directions, same rounded factors.
                        original.forEach((layer, w) -> patches.put(layer, LayerUpdate.lowRank(w, mRetain.get(layer),
                                p.forgetKept(forget.get(layer)), af).roundedToFloat()));
                        Forgetter.recentreHead(net, patches, retainGrams, kept);
                        restore(net, original, originalBiases);
                        Patches.apply(net, patches);
                        ClassAccuracy acc = Evaluation.accuracy(net, validation);
                        points.add(new Point(ar, af, rank, acc.retainAccuracy(forgottenSoFar),
                                acc.forgetAccuracy(forgottenSoFar)));
                    }
                }
            }
        } finally {
            restore(net, original, originalBiases);
        }
        points.sort(objective.order());
        return points;
    }

    private static Map<String, float[]> biases(Network net) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (LayerSpec layer : net.layers()) {
            if (layer.bias()) {
                out.put(layer.biasName(), net.get(layer.biasName()).toFloatArray());
            }
        }
        return out;
    }

    private static void restore(Network net, Map<String, INDArray> weights, Map<String, float[]> biases) {
        weights.forEach((name, w) -> net.set(name, w.dup('c').data().asFloat()));
        biases.forEach((name, b) -> net.set(name, b.clone()));
    }
}
