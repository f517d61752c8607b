package dev.lethe.model;

import ai.djl.ndarray.NDManager;

/**
 * Networks that are not one of the trained architectures: variants built to measure how the
 * method's cost grows with the size of the layers.
 */
public final class Networks {
    private Networks() { }

    /**
     * The VGG with every conv stage and the hidden Linear {@code widthMultiplier} times as wide
     * (channels 16k/32k/64k/64k/64k, classifier 576k -> 128k -> 10), randomly initialised from
     * {@code seed}. Multiplier 1 is exactly {@code Architecture.VGG.create(manager, seed)}; a
     * wider one is the unshipped architecture {@code vgg-xk}, for timing in memory.
     */
    public static Network vgg(NDManager manager, long seed, int widthMultiplier) {
        return Architecture.of(Descriptions.vgg(widthMultiplier)).create(manager, seed);
    }
}
