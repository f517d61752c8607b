package dev.lethe.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.data.Dataset;

/** Rows of a {@link Dataset}, picked through an order, as (N, C, H, W) pixels and int labels. */
final class Batching {
    private Batching() { }

    static NDArray images(NDManager manager, Dataset data, int[] order, int from, int to) {
        return manager.create(data.batch(order, from, to),
                new Shape(to - from, data.channels(), data.rows(), data.cols()));
    }

    static NDArray labels(NDManager manager, Dataset data, int[] order, int from, int to) {
        int[] buf = new int[to - from];
        for (int i = from; i < to; i++) {
            buf[i - from] = data.label(order[i]);
        }
        return manager.create(buf);
    }
}
