package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;

/** The forward arithmetic of each module kind, as PyTorch computes it (DJL calls into libtorch). */
final class Ops {
    private Ops() { }

    static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int dilation, int groups) {
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(padding, padding);
        Shape d = new Shape(dilation, dilation);
        NDList out = groups == 1
                ? Conv2d.conv2d(x, weight, bias, s, p, d)
                : Conv2d.conv2d(x, weight, bias, s, p, d, groups);
        return out.singletonOrThrow();
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * BatchNorm on running statistics, or in training on the batch's, updating the running
     * ones with PyTorch's rule new = (1 - momentum) old + momentum batch. DJL's batchNorm takes
     * the weight of the old value (MXNet's convention) and hands torch {@code 1 - m}, so PyTorch's
     * momentum m is passed as {@code 1 - m} (NetworkTest checks the numbers).
     */
    static NDArray batchNorm(Compiler.Pass pass, String path, NDArray x, float eps, double momentum) {
        NDArray out = BatchNorm.batchNorm(x, pass.get(path + ".running_mean"), pass.get(path + ".running_var"),
                pass.get(path + ".weight"), pass.get(path + ".bias"), 1, (float) (1 - momentum), eps,
                pass.training()).singletonOrThrow();
        if (pass.training()) {
            pass.get(path + ".num_batches_tracked").addi(1);
        }
        return out;
    }

    static NDArray layerNorm(Compiler.Pass pass, String path, NDArray x, int dim, float eps) {
        return LayerNorm.layerNorm(x, new Shape(dim), pass.get(path + ".weight"), pass.get(path + ".bias"), eps)
                .singletonOrThrow();
    }

    static NDArray maxPool(NDArray x, int kernel, int stride, int padding) {
        return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding),
                false);
    }

    static NDArray avgPool(NDArray x, int kernel, int stride, int padding) {
        return Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding),
                false, true);
    }

    /**
     * PyTorch's adaptive average pooling: output cell i covers input rows
     * [floor(i H / o), ceil((i + 1) H / o)), likewise columns.
     */
    static NDArray adaptiveAvgPool(NDArray x, int output) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        if (output == 1) {
            return Pool.globalAvgPool2d(x).reshape(n, c, 1, 1);
        }
        if (h % output == 0 && w % output == 0) {
            return Pool.avgPool2d(x, new Shape(h / output, w / output), new Shape(h / output, w / output),
                    new Shape(0, 0), false, true);
        }
        NDList rows = new NDList();
        for (int i = 0; i < output; i++) {
            NDList cells = new NDList();
            for (int j = 0; j < output; j++) {
                String index = ":, :, " + (i * h / output) + ":" + ceilDiv((i + 1) * h, output) + ", "
                        + (j * w / output) + ":" + ceilDiv((j + 1) * w, output);
                cells.add(x.get(index).mean(new int[] {3}, true).mean(new int[] {2}, true));
            }
            rows.add(NDArrays.concat(cells, 3));
        }
        return NDArrays.concat(rows, 2);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static NDArray dropout(NDArray x, double p, boolean training) {
        if (!training || p == 0) {
            return x;
        }
        return Dropout.dropout(x, (float) p, true).singletonOrThrow();
    }

    /**
     * Scaled dot-product attention of {@code heads} heads over (N, T, 3D) fused projections
     * {@code [q | k | v]}, as {@code nn.MultiheadAttention} computes it: (N, T, D), heads
     * concatenated in order, before the output projection (no attention dropout: torchvision's
     * ViT default).
     */
    static NDArray attention(NDArray qkv, int heads) {
        Shape s = qkv.getShape();
        long n = s.get(0);
        long t = s.get(1);
        long d = s.get(2) / 3;
        long dh = d / heads;
        NDArray q = split(qkv.get(":, :, 0:" + d), n, t, heads, dh).div((float) Math.sqrt(dh));
        NDArray k = split(qkv.get(":, :, " + d + ":" + 2 * d), n, t, heads, dh);
        NDArray v = split(qkv.get(":, :, " + 2 * d + ":"), n, t, heads, dh);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
        return weights.matMul(v).transpose(0, 2, 1, 3).reshape(n, t, d);
    }

    /** (N, T, D) to (N, heads, T, D / heads). */
    private static NDArray split(NDArray x, long n, long t, int heads, long dh) {
        return x.reshape(n, t, heads, dh).transpose(0, 2, 1, 3);
    }
}
