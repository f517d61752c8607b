package dev.lethe.engine;

import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
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

    /**
     * The retain-side statistics of a model version: {@code retainPerClass} training images per
     * class and the conv patches drawn with {@link Sampling#RETAIN_SEED}, whatever the request.
     * They are a function of the weights alone, so statistics captured ahead of a request
     * (cached) and inside it (cold, or during a replay) are bit-identical.
     */
    public static ClassStatistics captureRetain(Network net, Splits splits, Collection<Integer> classes,
                                                Sampling sampling) {
        Sampling retain = sampling.withSeed(Sampling.RETAIN_SEED);
        return capture(net, SampleBank.draw(splits.train(), retain.retainPerClass(), retain.seed()), classes, retain);
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
            out.put(g.weight(), Gram.of(Nd4j.create(g.values(), new long[] {g.dim(), g.dim()}, 'c'), g.columns(),
                    g.columnSum()));
        }
        return out;
    }

    /** Whether every Gram carries its column sum (statistics stored before Lethe kept them do not). */
    public boolean hasMeans() {
        return perClass.values().stream().allMatch(m -> m.values().stream().allMatch(Gram::hasMean));
    }

    /** What the statistics hold in memory: every class's Gram matrices and column sums, in doubles. */
    public long bytes() {
        long b = 0;
        for (Map<String, Gram> grams : perClass.values()) {
            for (Gram g : grams.values()) {
                b += 8L * g.dim() * g.dim() + (g.hasMean() ? 8L * g.dim() : 0);
            }
        }
        return b;
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

    /**
     * A self-describing byte form, for the artifact store (the stream processor keeps only its
     * hash in a state store): magic "LCST", version, class count, then per class its index,
     * layer count and per layer the name and the Gram's own bytes. Classes and layers in order.
     */
    public byte[] toBytes() {
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
             java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(1);
            out.writeInt(perClass.size());
            for (Map.Entry<Integer, Map<String, Gram>> c : perClass.entrySet()) {
                out.writeInt(c.getKey());
                out.writeInt(c.getValue().size());
                for (Map.Entry<String, Gram> layer : c.getValue().entrySet()) {
                    out.writeUTF(layer.getKey());
                    byte[] g = layer.getValue().toBytes();
                    out.writeInt(g.length);
                    out.write(g);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static ClassStatistics fromBytes(byte[] data) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC || in.readInt() != 1) {
                throw new IllegalArgumentException("not a Lethe class-statistics artifact (bad magic or version)");
            }
            TreeMap<Integer, Map<String, Gram>> out = new TreeMap<>();
            int classes = in.readInt();
            for (int i = 0; i < classes; i++) {
                int c = in.readInt();
                int layers = in.readInt();
                Map<String, Gram> grams = new LinkedHashMap<>();
                for (int l = 0; l < layers; l++) {
                    String name = in.readUTF();
                    byte[] g = new byte[in.readInt()];
                    in.readFully(g);
                    grams.put(name, Gram.fromBytes(g));
                }
                out.put(c, grams);
            }
            return new ClassStatistics(out);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("truncated class-statistics artifact", e);
        }
    }

    private static final int MAGIC = 0x4C435354; // "LCST"
}
