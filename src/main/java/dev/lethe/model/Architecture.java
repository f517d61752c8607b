package dev.lethe.model;

import ai.djl.ndarray.NDManager;
import java.util.Locale;

/** The architectures Lethe trains; each is mirrored by a PyTorch module in docs/architectures.md. */
public enum Architecture {
    MLP, VGG, RESNET;

    public Network create(NDManager manager, long seed) {
        return switch (this) {
            case MLP -> new Mlp(manager, seed);
            case VGG -> new Vgg(manager, seed);
            case RESNET -> new ResNet(manager, seed);
        };
    }

    /** Epochs after which the default recipe reaches its documented accuracy. */
    public int defaultEpochs() {
        return switch (this) {
            case MLP -> 8;
            case VGG -> 4;
            case RESNET -> 4;
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + s + "' (expected mlp, vgg or resnet)");
        }
    }
}
