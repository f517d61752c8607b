package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.data.Dataset;

/** Rows of a {@link Dataset}, picked through an order (null: as stored), as (N, C, H, W) pixels and int labels. */
public final class Batches {
    private Batches() { }

    public static NDArray images(NDManager manager, Dataset data, int[] order, int from, int to) {
        return manager.create(data.batch(order, from, to),
                new Shape(to - from, data.channels(), data.rows(), data.cols()));
    }

    public static NDArray labels(NDManager manager, Dataset data, int[] order, int from, int to) {
        int[] buf = new int[to - from];
        for (int i = from; i < to; i++) {
            buf[i - from] = data.labels()[order == null ? i : order[i]];
        }
        return manager.create(buf);
    }
}
