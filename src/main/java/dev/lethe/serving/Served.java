package dev.lethe.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.data.ImageShape;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.LayerTap;
import dev.lethe.model.Network;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version, shared by the predictions in flight on it. The holder owns one
 * reference; every prediction takes one. When the holder lets go (a newer version took its
 * place) the network is freed after the last prediction on it returns.
 */
final class Served {
    private final ModelVersion version;
    private final byte[] weights;
    private final NDManager manager;
    private final Network net;
    private final AtomicInteger references = new AtomicInteger(1);

    Served(ModelVersion version, byte[] weights, NDManager manager, Network net) {
        this.version = version;
        this.weights = weights;
        this.manager = manager;
        this.net = net;
    }

    ModelVersion version() {
        return version;
    }

    byte[] weights() {
        return weights;
    }

    /** False once the last reference is gone: the caller then reads the holder's newer version. */
    boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            net.close();
            manager.close();
        }
    }

    /** Class probabilities for one image of pixels in [0, 1]. */
    float[] probabilities(float[] pixels, ImageShape shape) {
        try (NDManager call = net.manager().newSubManager()) {
            NDArray x = call.create(pixels, new Shape(1, shape.channels(), shape.height(), shape.width()));
            return net.logits(x, false, LayerTap.NONE).softmax(1).toFloatArray();
        }
    }
}
