package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Accumulates, for every edited Conv2d and Linear layer, the Gram matrix R R^T of the layer's
 * input representation R (one column per input vector; conv inputs unfolded with
 * {@link Im2col}; a Linear applied to tokens (N, T, D) gives one column per token) and the sum
 * of R's columns.
 * Accumulation is in double precision because the energy ratios the method uses span many
 * orders of magnitude.
 *
 * <p>Convolutions see one patch per output position and token Linears one input per token; to
 * bound the cost, at most {@code positionsPerSample} positions (or tokens) of each sample are
 * kept, drawn by a generator seeded from (seed, layer, sample index). The draw does not depend
 * on batch size, so a request always yields the same statistics.
 */
public final class GramCapture implements LayerTap, AutoCloseable {
    /** Keep every patch. */
    public static final int ALL_POSITIONS = Integer.MAX_VALUE;

    private final NDManager manager;
    private final int positionsPerSample;
    private final long seed;
    private final Map<String, NDArray> grams = new LinkedHashMap<>();
    private final Map<String, NDArray> sums = new LinkedHashMap<>();
    private final Map<String, Long> columns = new LinkedHashMap<>();
    private final Map<String, Integer> dims = new LinkedHashMap<>();
    private final Map<String, String> weights = new LinkedHashMap<>();
    private long samplesBefore;
    private long batchSamples;

    public GramCapture(NDManager parent, int positionsPerSample, long seed) {
        this.manager = parent.newSubManager();
        this.positionsPerSample = positionsPerSample;
        this.seed = seed;
    }

    /** Call before each batch's forward pass, with its size, so sampling stays batch-independent. */
    public void beginBatch(long size) {
        samplesBefore += batchSamples;
        batchSamples = size;
    }

    @Override
    public void onInput(LayerSpec layer, NDArray input) {
        NDArray rows = layer.kind() == LayerSpec.Kind.CONV ? convRows(layer, input)
                : input.getShape().dimension() == 3 ? tokenRows(layer, input) : input;
        NDArray r = rows.toType(DataType.FLOAT64, false);
        NDArray g = r.transpose().matMul(r);
        accumulate(grams, layer.name(), g);
        accumulate(sums, layer.name(), r.sum(new int[] {0}));
        columns.merge(layer.name(), rows.getShape().get(0), Long::sum);
        dims.put(layer.name(), layer.inputDim());
        weights.put(layer.name(), layer.weight());
    }

    private void accumulate(Map<String, NDArray> into, String layer, NDArray value) {
        NDArray total = into.get(layer);
        if (total == null) {
            value.attach(manager);
            into.put(layer, value);
        } else {
            total.addi(value);
        }
    }

    private NDArray convRows(LayerSpec layer, NDArray input) {
        Shape s = input.getShape();
        int n = Math.toIntExact(s.get(0));
        int l = outputPositions(layer, s);
        if (positionsPerSample >= l) {
            NDArray cols = Im2col.columns(layer, input); // (N, D, L)
            return cols.transpose(0, 2, 1).reshape((long) n * l, layer.inputDim());
        }
        return Im2col.sampledRows(layer, input, positions(layer, n, l));
    }

    private static int outputPositions(LayerSpec layer, Shape input) {
        return Math.multiplyExact(layer.outputSize(input.get(2)), layer.outputSize(input.get(3)));
    }

    /** Tokens (N, T, D) as rows (N * k, D): all T, or k = positionsPerSample drawn per sample. */
    private NDArray tokenRows(LayerSpec layer, NDArray input) {
        Shape s = input.getShape();
        int n = Math.toIntExact(s.get(0));
        int t = Math.toIntExact(s.get(1));
        if (positionsPerSample >= t) {
            return input.reshape((long) n * t, s.get(2));
        }
        int[][] positions = positions(layer, n, t);
        long[] index = new long[n * positionsPerSample];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < positionsPerSample; j++) {
                index[i * positionsPerSample + j] = positions[i][j];
            }
        }
        NDArray idx = input.getManager().create(index, new Shape(n, positionsPerSample, 1))
                .toDevice(input.getDevice(), false).broadcast(new Shape(n, positionsPerSample, s.get(2)));
        return input.gather(idx, 1).reshape((long) n * positionsPerSample, s.get(2));
    }

    /** For each sample of the batch, the positions it keeps out of {@code l}. */
    private int[][] positions(LayerSpec layer, int n, int l) {
        int[][] positions = new int[n][];
        int layerIndex = layer.name().hashCode();
        for (int i = 0; i < n; i++) {
            positions[i] = samplePositions(l, positionsPerSample, layerIndex, samplesBefore + i);
        }
        return positions;
    }

    /** A partial Fisher-Yates shuffle: the first {@code k} of a seeded permutation of 0..l-1. */
    private int[] samplePositions(int l, int k, int layerIndex, long sample) {
        SplittableRandom rng = new SplittableRandom(seed ^ (31L * layerIndex) ^ (sample * 0x9E3779B97F4A7C15L));
        int[] perm = new int[l];
        for (int i = 0; i < l; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(l - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = new int[k];
        System.arraycopy(perm, 0, out, 0, k);
        return out;
    }

    /** The accumulated statistics, in forward order of the layers. */
    public Map<String, LayerGram> result() {
        Map<String, LayerGram> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : grams.entrySet()) {
            String name = e.getKey();
            out.put(name, new LayerGram(name, weights.get(name), dims.get(name), e.getValue().toDoubleArray(), columns.get(name),
                    sums.get(name).toDoubleArray()));
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
