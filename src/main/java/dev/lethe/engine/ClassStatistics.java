package dev.lethe.engine;

import dev.lethe.data.SampleBank;
import dev.lethe.model.Inference;
import dev.lethe.model.LayerGram;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Gram;
import dev.lethe.unlearn.Unlearning;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-class Gram matrices of every layer's input for one model version: the retain side's
 * cache. Gram matrices add over samples, so the retain statistics of any subset of classes are
 * one sum away, and a request that forgets class c needs no new forward pass on the others.
 */
public final class ClassStatistics {
    private final TreeMap<Integer, Map<String, Gram>> perClass;

    private ClassStatistics(TreeMap<Integer, Map<String, Gram>> perClass) {
        this.perClass = perClass;
    }

    /** One inference pass per class over the bank's samples of that class. */
    public static ClassStatistics capture(Network net, SampleBank bank, Collection<Integer> classes,
                                          Sampling sampling) {
        TreeMap<Integer, Map<String, Gram>> out = new TreeMap<>();
        for (int c : new TreeSet<>(classes)) {
            out.put(c, toGrams(Inference.grams(net, bank.forClass(c), sampling.positionsPerSample(),
                    sampling.seed() + c)));
        }
        return new ClassStatistics(out);
    }

    public static Map<String, Gram> toGrams(Map<String, LayerGram> captured) {
        Map<String, Gram> out = new LinkedHashMap<>();
        for (LayerGram g : captured.values()) {
            out.put(g.layer() + ".weight", Gram.of(Nd4j.create(g.values(), new long[] {g.dim(), g.dim()}, 'c'), g.columns()));
        }
        return out;
    }

    public Set<Integer> classes() {
        return perClass.navigableKeySet();
    }

    public Map<String, Gram> forClass(int c) {
        Map<String, Gram> g = perClass.get(c);
        if (g == null) {
            throw new IllegalArgumentException("no statistics for class " + c);
        }
        return g;
    }

    /** Sum over the given classes, in ascending class order (so the bits never depend on the caller). */
    public Map<String, Gram> sum(Collection<Integer> classes) {
        List<Map<String, Gram>> parts = new ArrayList<>();
        for (int c : new TreeSet<>(classes)) {
            parts.add(forClass(c));
        }
        return Unlearning.sum(parts);
    }
}
