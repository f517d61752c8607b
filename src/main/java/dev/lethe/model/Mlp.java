package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Three Linear layers: 784 -> 256 -> 128 -> 10. */
final class Mlp extends Network {
    Mlp(NDManager manager, long seed) {
        super(manager, seed);
        declareLinear("fc1", 784, 256);
        declareLinear("fc2", 256, 128);
        declareLinear("fc3", 128, 10);
    }

    @Override
    public Architecture architecture() {
        return Architecture.MLP;
    }

    @Override
    protected NDArray forward(Pass p, NDArray x) {
        NDArray h = x.reshape(x.getShape().get(0), 784);
        h = relu(linear(p, "fc1", h));
        h = relu(linear(p, "fc2", h));
        return linear(p, "fc3", h);
    }
}
