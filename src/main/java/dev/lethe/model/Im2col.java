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
