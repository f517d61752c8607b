package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * VGG-style: three Conv-BN-ReLU stages with max pooling (28 -> 14 -> 7 -> 3), then a two-layer
 * classifier. Indices follow torchvision's {@code features}/{@code classifier} numbering.
 */
final class Vgg extends Network {
    /** Channels of the last stage times the 3 x 3 map left after three poolings: the classifier's input. */
    private final int flat;

    Vgg(NDManager manager, long seed) {
        this(manager, seed, 1);
    }

    /**
     * Every conv stage and the hidden Linear {@code widthMultiplier} times as wide; 1 is the
     * trained VGG. Wider ones exist to time the method on larger layers (see Networks.vgg).
     */
    Vgg(NDManager manager, long seed, int widthMultiplier) {
        super(manager, seed);
        if (widthMultiplier < 1) {
            throw new IllegalArgumentException("width multiplier must be >= 1, got " + widthMultiplier);
        }
        int c1 = 16 * widthMultiplier;
        int c2 = 32 * widthMultiplier;
        int c3 = 64 * widthMultiplier;
        int hidden = 128 * widthMultiplier;
        flat = c3 * 3 * 3;
        declareConv("features.0", 1, c1, 3, 1, 1, true);
        declareBatchNorm("features.1", c1);
        declareConv("features.3", c1, c2, 3, 1, 1, true);
        declareBatchNorm("features.4", c2);
        declareConv("features.7", c2, c3, 3, 1, 1, true);
        declareBatchNorm("features.8", c3);
        declareConv("features.10", c3, c3, 3, 1, 1, true);
        declareBatchNorm("features.11", c3);
        declareConv("features.14", c3, c3, 3, 1, 1, true);
        declareBatchNorm("features.15", c3);
        declareLinear("classifier.0", flat, hidden);
        declareLinear("classifier.2", hidden, 10);
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
        h = h.reshape(h.getShape().get(0), flat);
        h = relu(linear(p, "classifier.0", h));
        return linear(p, "classifier.2", h);
    }

    private NDArray stage(Pass p, String conv, String bn, NDArray x) {
        return relu(batchNorm(p, bn, conv(p, conv, x)));
    }
}
