package dev.lethe.engine;

import dev.lethe.data.Dataset;
import dev.lethe.data.Splits;
import dev.lethe.model.Inference;
import dev.lethe.model.LayerSpec;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Gram;
import dev.lethe.unlearn.Unlearning;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Both sides computed in the call from the network (the CLI, the baselines, a cold request):
 * the retain side from class statistics (given, or captured now for exactly the retained
 * classes), the forget side from a seeded draw of the forgotten classes' training images.
 * The two static methods are the only place either side is computed, cached or not.
 */
public final class InlineSides implements Sides {
    private final Network net;
    private final Dataset train;
    private final Sampling sampling;
    private final Function<Set<Integer>, ClassStatistics> statistics;

    private InlineSides(Network net, Dataset train, Sampling sampling,
                        Function<Set<Integer>, ClassStatistics> statistics) {
        this.net = net;
        this.train = train;
        this.sampling = sampling;
        this.statistics = statistics;
    }

    /** @param cached this version's class statistics, or null to capture the retained classes' now */
    public static InlineSides of(Network net, Splits splits, Sampling sampling, ClassStatistics cached) {
        return new InlineSides(net, splits.train(), sampling, retained -> cached != null ? cached
                : ClassStatistics.captureRetain(net, splits, retained, sampling));
    }

    @Override
    public Side<RetainSide> retain(Set<Integer> retained, Unlearning.Params params) {
        long t0 = System.nanoTime();
        ClassStatistics stats = statistics.apply(retained);
        return new Side<>(retainSide(net, stats, retained, params, (System.nanoTime() - t0) / 1e9), true);
    }

    @Override
    public Side<ForgetSide> forget(Set<Integer> classes, Unlearning.Params params) {
        return new Side<>(forgetSide(net, train, classes, sampling, params), true);
    }

    /** Sums the retained classes' Grams and solves every layer for its M_r. */
    static RetainSide retainSide(Network net, ClassStatistics stats, Set<Integer> retained, Unlearning.Params p,
                                 double captureSeconds) {
        Map<String, Gram> grams = stats.sum(retained);
        Map<String, INDArray> projections = new LinkedHashMap<>();
        Map<String, LayerSolve> solves = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (LayerSpec layer : net.layers()) {
            long a = System.nanoTime();
            Basis b = Basis.fromGram(grams.get(layer.weight()), p.alphaR(), p.tolerance());
            projections.put(layer.weight(), Unlearning.retainProjection(b, p));
            solves.put(layer.weight(), new LayerSolve((System.nanoTime() - a) / 1e6, b.size()));
        }
        Gram head = grams.get(net.head().weight());
        double[] mean = head.hasMean() ? head.mean() : null;
        return new RetainSide(Collections.unmodifiableMap(projections), mean, Collections.unmodifiableMap(solves),
                captureSeconds, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Draws the forget samples ({@link Sampling#forgetDraw}), captures every layer's input Gram
     * through the unchanged network and keeps each layer's strongest forget directions.
     */
    static ForgetSide forgetSide(Network net, Dataset train, Set<Integer> classes, Sampling s, Unlearning.Params p) {
        long t0 = System.nanoTime();
        Map<String, Gram> grams = ClassStatistics.toGrams(
                Inference.grams(net, s.forgetDraw(train, classes), s.positionsPerSample(), s.seed()));
        long t1 = System.nanoTime();
        Map<String, Basis> bases = new LinkedHashMap<>();
        Map<String, LayerSolve> solves = new LinkedHashMap<>();
        for (LayerSpec layer : net.layers()) {
            long a = System.nanoTime();
            Basis b = Basis.fromGram(grams.get(layer.weight()), p.alphaF(), p.tolerance(), p.maxForgetRank());
            bases.put(layer.weight(), b);
            solves.put(layer.weight(), new LayerSolve((System.nanoTime() - a) / 1e6, b.size()));
        }
        return new ForgetSide(Collections.unmodifiableMap(bases), Collections.unmodifiableMap(solves),
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }
}
