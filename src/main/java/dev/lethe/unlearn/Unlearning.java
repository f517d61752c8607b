package dev.lethe.unlearn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The multi-layer entry point. Layers are named (e.g. "features.0.weight"); weights are 2-D
 * (out x d), conv weights already flattened to out x (C_in kh kw). Every map this class returns
 * iterates in layer-name order, so a request always computes and applies in the same order.
 */
public final class Unlearning {
    private Unlearning() {}

    /**
     * Hyper-parameters of one request.
     *
     * @param alphaR retain scaling (paper: 100 for CIFAR-10, 1000 for CIFAR-100)
     * @param alphaF forget scaling (paper: 3 for CIFAR-10, 30 for CIFAR-100)
     * @param tolerance directions whose lambda is below this are dropped from both projections
     *     (0 keeps all); the patch then differs from the exact update by at most
     *     {@code |W|_F (largest dropped lambda_f + largest dropped lambda_r) < 2 tolerance |W|_F}.
     * @param maxForgetRank at most this many forget directions per layer, the strongest (0: no
     *     limit). Bounds the size of a layer's patch to (out + d) x maxForgetRank numbers.
     */
    public record Params(double alphaR, double alphaF, double tolerance, int maxForgetRank) {
        public Params {
            ScaledImportance.requireAlpha(alphaR);
            ScaledImportance.requireAlpha(alphaF);
            ScaledImportance.requireTolerance(tolerance);
            if (maxForgetRank < 0) {
                throw new IllegalArgumentException("maxForgetRank must be >= 0 (0: no limit), got " + maxForgetRank);
            }
        }

        public Params(double alphaR, double alphaF, double tolerance) {
            this(alphaR, alphaF, tolerance, 0);
        }

        /** The forget directions this request uses of a layer's basis: above tolerance, at most maxForgetRank. */
        public Basis forgetKept(Basis forget) {
            Basis kept = forget.kept(alphaF, tolerance);
            return maxForgetRank == 0 || kept.size() <= maxForgetRank ? kept : kept.leading(maxForgetRank);
        }
    }

    /** Every layer's patch, all from the bases of the model before the update. */
    public static Map<String, LowRankPatch> patches(Map<String, INDArray> weights, Map<String, Basis> retain,
            Map<String, Basis> forget, Params p) {
        Map<String, INDArray> projections = new LinkedHashMap<>();
        for (String name : new TreeMap<>(weights).keySet()) {
            projections.put(name, retainProjection(require(retain, name, "retain"), p));
        }
        return patchesFromProjections(weights, projections, forget, p);
    }

    /**
     * A layer's scaled retain projection M_r, the part of the update that depends only on the
     * retained classes: a cache can hold it for a model version and a retained set, and a request
     * then pays only for its forget side and the low-rank product.
     */
    public static INDArray retainProjection(Basis retain, Params p) {
        return Projection.scaled(retain.kept(p.alphaR(), p.tolerance()), p.alphaR());
    }

    /** As {@link #patches}, from each layer's M_r ({@link #retainProjection}) instead of its retain basis. */
    public static Map<String, LowRankPatch> patchesFromProjections(Map<String, INDArray> weights,
            Map<String, INDArray> retainProjections, Map<String, Basis> forget, Params p) {
        Map<String, LowRankPatch> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> layer : new TreeMap<>(weights).entrySet()) {
            String name = layer.getKey();
            INDArray mRetain = require(retainProjections, name, "retain projection");
            Basis f = require(forget, name, "forget");
            out.put(name, LayerUpdate.lowRank(layer.getValue(), mRetain, p.forgetKept(f), p.alphaF()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The updated weights: each patched layer replaced, the others passed through. */
    public static Map<String, INDArray> apply(Map<String, INDArray> weights, Map<String, LowRankPatch> patches) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> layer : new TreeMap<>(weights).entrySet()) {
            LowRankPatch patch = patches.get(layer.getKey());
            out.put(layer.getKey(), patch == null ? layer.getValue() : patch.applyTo(layer.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Full bases of every layer (a full eigen-solve each). */
    public static Map<String, Basis> bases(Map<String, Gram> grams) {
        Map<String, Basis> out = new LinkedHashMap<>();
        new TreeMap<>(grams).forEach((name, g) -> out.put(name, Basis.fromGram(g)));
        return Collections.unmodifiableMap(out);
    }

    /** Only the directions with lambda(alpha) >= tolerance of every layer: what a request needs, faster. */
    public static Map<String, Basis> bases(Map<String, Gram> grams, double alpha, double tolerance) {
        Map<String, Basis> out = new LinkedHashMap<>();
        new TreeMap<>(grams).forEach((name, g) -> out.put(name, Basis.fromGram(g, alpha, tolerance)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Layer-wise sum of per-class (or per-batch) Grams, e.g. the retain Grams of the kept classes.
     * Summed in list order, so the same list gives the same bits. All maps must name the same layers.
     */
    public static Map<String, Gram> sum(List<Map<String, Gram>> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to sum");
        }
        Map<String, Gram> out = new LinkedHashMap<>();
        for (String name : new TreeMap<>(parts.get(0)).keySet()) {
            out.put(name, Gram.sum(parts.stream().map(m -> require(m, name, "gram")).toList()));
        }
        for (Map<String, Gram> part : parts) {
            if (!part.keySet().equals(out.keySet())) {
                throw new IllegalArgumentException("Gram maps name different layers: " + part.keySet()
                        + " vs " + out.keySet());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static <T> T require(Map<String, T> map, String layer, String what) {
        T value = map.get(layer);
        if (value == null) {
            throw new IllegalArgumentException("no " + what + " entry for layer " + layer);
        }
        return value;
    }
}
