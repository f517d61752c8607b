package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * VGG-style: three Conv-BN-ReLU stages with max pooling (28 -> 14 -> 7 -> 3), then a two-layer
 * classifier. Indices follow torchvision's {@code features}/{@code classifier} numbering.
 */
final class Vgg extends Network {
    Vgg(NDManager manager, long seed) {
        super(manager, seed);
        declareConv("features.0", 1, 16, 3, 1, 1, true);
        declareBatchNorm("features.1", 16);
        declareConv("features.3", 16, 32, 3, 1, 1, true);
        declareBatchNorm("features.4", 32);
        declareConv("features.7", 32, 64, 3, 1, 1, true);
        declareBatchNorm("features.8", 64);
        declareConv("features.10", 64, 64, 3, 1, 1, true);
        declareBatchNorm("features.11", 64);
        declareConv("features.14", 64, 64, 3, 1, 1, true);
        declareBatchNorm("features.15", 64);
        declareLinear("classifier.0", 64 * 3 * 3, 128);
        declareLinear("classifier.2", 128, 10);
    }

    @Override
    public Architecture architecture() {
        return Architecture.VGG;
    }

    @Override
    protected NDArray forward(Pass p, NDArray x) {
        NDArray h = stage(p, "features.0", "features.1", x);
        h = maxPool(stage(p, "features.3", "features.4", h));
        h = stage(p, "features.7", "features.8", h);
        h = maxPool(stage(p, "features.10", "features.11", h));
        h = maxPool(stage(p, "features.14", "features.15", h));
        h = h.reshape(h.getShape().get(0), 64 * 3 * 3);
        h = relu(linear(p, "classifier.0", h));
        return linear(p, "classifier.2", h);
    }

    private NDArray stage(Pass p, String conv, String bn, NDArray x) {
        return relu(batchNorm(p, bn, conv(p, conv, x)));
    }
}
