package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Unfolds a conv layer's input into patches (im2col) with the layer's own kernel, stride,
 * padding and dilation. The unfolding is itself a grouped convolution with one-hot kernels, so
 * the engine's conv arithmetic decides which pixels form a patch: there is no second copy of
 * the padding and stride rules to get wrong.
 */
public final class Im2col {
    private Im2col() { }

    /**
     * Patches of {@code x} (N, C, H, W) as (N, C*k*k, L), rows in the order of the flattened
     * PyTorch weight (c, ky, kx), L = output positions.
     */
    public static NDArray columns(LayerSpec layer, NDArray x) {
        int c = layer.in();
        int k = layer.kernel();
        NDArray kernel = oneHotKernels(x.getManager(), c, k).toDevice(x.getDevice(), false);
        Shape stride = new Shape(layer.stride(), layer.stride());
        Shape pad = new Shape(layer.padding(), layer.padding());
        Shape dil = new Shape(layer.dilation(), layer.dilation());
        NDArray patches = Conv2d.conv2d(x, kernel, null, stride, pad, dil, c).singletonOrThrow();
        Shape s = patches.getShape();
        return patches.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
    }

    /**
     * The patches at chosen output positions only, as rows (N * P, C*k*k): row {@code i * P + j}
     * is sample i's patch at position {@code positions[i][j]} (index into the row-major output
     * map). Equal, value for value, to {@link #columns} followed by picking those positions, but
     * it reads only the pixels of the kept patches: the full unfolding costs k*k times the input
     * per batch, and Lethe keeps a few dozen of the hundreds of positions.
     */
    public static NDArray sampledRows(LayerSpec layer, NDArray x, int[][] positions) {
        Shape s = x.getShape();
        int n = Math.toIntExact(s.get(0));
        int c = Math.toIntExact(s.get(1));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        int k = layer.kernel();
        int p = positions.length == 0 ? 0 : positions[0].length;
        NDManager m = x.getManager();
        NDArray pixels = x.reshape(n, c, (long) h * w).concat(m.zeros(new Shape(n, c, 1), x.getDataType())
                .toDevice(x.getDevice(), false), 2);
        NDArray idx = m.create(pixelIndex(layer, h, w, positions), new Shape(n, 1, (long) p * k * k))
                .toDevice(x.getDevice(), false)
                .broadcast(new Shape(n, c, (long) p * k * k));
        return pixels.gather(idx, 2).reshape(n, c, p, (long) k * k).transpose(0, 2, 1, 3)
                .reshape((long) n * p, (long) c * k * k);
    }

    /**
     * For each sample, position and kernel offset (ky, kx), the flat pixel index into an h x w
     * map, or h * w (an appended zero pixel) where the patch reaches into the padding.
     */
    private static long[] pixelIndex(LayerSpec layer, int h, int w, int[][] positions) {
        int k = layer.kernel();
        int outW = (w + 2 * layer.padding() - layer.dilation() * (k - 1) - 1) / layer.stride() + 1;
        int p = positions.length == 0 ? 0 : positions[0].length;
        long[] index = new long[positions.length * p * k * k];
        int at = 0;
        for (int[] sample : positions) {
            for (int position : sample) {
                int top = (position / outW) * layer.stride() - layer.padding();
                int left = (position % outW) * layer.stride() - layer.padding();
                for (int ky = 0; ky < k; ky++) {
                    int y = top + ky * layer.dilation();
                    for (int kx = 0; kx < k; kx++) {
                        int xx = left + kx * layer.dilation();
                        index[at++] = y < 0 || y >= h || xx < 0 || xx >= w ? h * w : (long) y * w + xx;
                    }
                }
            }
        }
        return index;
    }

    /** (C*k*k, 1, k, k): output channel c*k*k + i picks offset i of input channel c. */
    private static NDArray oneHotKernels(NDManager manager, int channels, int k) {
        int kk = k * k;
        float[] w = new float[channels * kk * kk];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kk; i++) {
                w[(c * kk + i) * kk + i] = 1f;
            }
        }
        return manager.create(w, new Shape(channels * kk, 1, k, k));
    }
}
