package dev.lethe.model;

import ai.djl.ndarray.NDManager;

/**
 * Networks that are not one of the trained {@link Architecture}s: variants built to measure how
 * the method's cost grows with the size of the layers.
 */
public final class Networks {
    private Networks() { }

    /**
     * The VGG with every conv stage and the hidden Linear {@code widthMultiplier} times as wide
     * (channels 16k/32k/64k/64k/64k, classifier 576k -> 128k -> 10), randomly initialised from
     * {@code seed}. Multiplier 1 is exactly {@code Architecture.VGG.create(manager, seed)}.
     *
     * <p>Parameter names are the VGG's, but {@link Network#architecture()} says VGG whatever the
     * width, and {@link ModelFiles#read} rebuilds the standard width: a wider network is for
     * timing in memory, not for saving as a model directory.
     */
    public static Network vgg(NDManager manager, long seed, int widthMultiplier) {
        return new Vgg(manager, seed, widthMultiplier);
    }
}
