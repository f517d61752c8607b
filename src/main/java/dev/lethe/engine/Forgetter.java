package dev.lethe.engine;

import dev.lethe.data.Dataset;
import dev.lethe.model.Inference;
import dev.lethe.model.LayerSpec;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Basis;
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

    /** The patches of one request and where its time went. */
    public record Outcome(Map<String, LowRankPatch> patches, double retainCaptureSeconds,
                          double forgetCaptureSeconds, double eigenSeconds, double updateSeconds,
                          List<LayerCost> layers) {
        public double computeSeconds() {
            return retainCaptureSeconds + forgetCaptureSeconds + eigenSeconds + updateSeconds;
        }
    }

    /**
     * Patches that make {@code net} forget the classes of {@code forgetSamples}.
     *
     * @param retain statistics of this model version (computed now if null, and timed)
     * @param retainClasses the classes that stay: all classes minus every class forgotten so far
     * @param recentreHead give the head's patch the bias shift of {@link Recentring} (false: the
     *     paper's update exactly)
     */
    public static Outcome forget(Network net, ClassStatisticsSource retain, Set<Integer> retainClasses,
                                 Dataset forgetSamples, Sampling sampling, Unlearning.Params params,
                                 boolean recentreHead) {
        long t0 = System.nanoTime();
        Map<String, Gram> retainGrams = retain.get().sum(retainClasses);
        long t1 = System.nanoTime();
        Map<String, Gram> forgetGrams = ClassStatistics.toGrams(
                Inference.grams(net, forgetSamples, sampling.positionsPerSample(), sampling.seed()));
        long t2 = System.nanoTime();
        Map<String, Basis> retainBases = new LinkedHashMap<>();
        Map<String, Basis> forgetBases = new LinkedHashMap<>();
        List<LayerCost> costs = new ArrayList<>();
        for (LayerSpec layer : net.layers()) {
            String w = layer.weight();
            long a = System.nanoTime();
            Basis r = Basis.fromGram(retainGrams.get(w), params.alphaR(), params.tolerance());
            long b = System.nanoTime();
            Basis f = Basis.fromGram(forgetGrams.get(w), params.alphaF(), params.tolerance(), params.maxForgetRank());
            long c = System.nanoTime();
            retainBases.put(w, r);
            forgetBases.put(w, f);
            costs.add(new LayerCost(w, layer.inputDim(), (b - a) / 1e6, r.size(), (c - b) / 1e6, f.size()));
        }
        long t3 = System.nanoTime();
        Map<String, LowRankPatch> patches = new LinkedHashMap<>();
        // The rounded factors are what a patch artifact holds; applying exactly those here lets a
        // fleet that applies the artifact to the parent reproduce this version's bytes.
        Unlearning.patches(weights(net), retainBases, forgetBases, params)
                .forEach((layer, p) -> patches.put(layer, p.roundedToFloat()));
        if (recentreHead) {
            recentreHead(net, patches, retainGrams, retainClasses);
        }
        long t4 = System.nanoTime();
        return new Outcome(patches, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9,
                List.copyOf(costs));
    }

    /**
     * Gives the classifier head's patch (already rounded) the bias shift of {@link Recentring}
     * for the rows of {@code retainClasses}, itself rounded to float like the factors.
     */
    static void recentreHead(Network net, Map<String, LowRankPatch> patches, Map<String, Gram> retainGrams,
                             Set<Integer> retainClasses) {
        LayerSpec head = head(net);
        Gram g = retainGrams.get(head.weight());
        if (!g.hasMean()) {
            throw new IllegalStateException("retain statistics of " + head.name()
                    + " carry no mean (recorded by an older Lethe); capture them again");
        }
        boolean[] kept = new boolean[head.out()];
        retainClasses.forEach(c -> kept[c] = true);
        LowRankPatch p = patches.get(head.weight());
        patches.put(head.weight(), p.withBiasShift(Recentring.biasShift(p, g.mean(), kept)).roundedToFloat());
    }

    /** The layer whose outputs are the logits: the last edited Linear (see {@link Network#head}). */
    static LayerSpec head(Network net) {
        return net.head();
    }

    /** Every Conv2d/Linear weight as a FLOAT (out x d) matrix, keyed by its state-dict name. */
    public static Map<String, INDArray> weights(Network net) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (LayerSpec layer : net.layers()) {
            float[] w = net.get(layer.weight()).toFloatArray();
            out.put(layer.weight(), Nd4j.create(w, new long[] {layer.out(), layer.inputDim()}, 'c'));
        }
        return out;
    }

    /**
     * Applies every patch to the network in place (W <- W - A B and bias <- bias + shift, the
     * arithmetic LowRankPatch defines).
     */
    public static void apply(Network net, Map<String, LowRankPatch> patches) {
        Map<String, INDArray> updated = Unlearning.apply(weights(net), patches);
        updated.forEach((name, w) -> net.set(name, w.dup('c').data().asFloat()));
        patches.forEach((weight, p) -> {
            if (p.biasShift() != null) {
                String bias = net.layerOfWeight(weight).biasName();
                INDArray b = Nd4j.createFromArray(net.get(bias).toFloatArray());
                net.set(bias, p.applyToBias(b).data().asFloat());
            }
        });
    }

    /** Supplies a model version's class statistics: a cache hit, or a capture that is timed as retain work. */
    @FunctionalInterface
    public interface ClassStatisticsSource {
        ClassStatistics get();
    }
}
