package dev.lethe.model;

import ai.djl.ndarray.NDArray;

/** Sees the input of every Conv2d and Linear layer during a forward pass, before the layer runs. */
@FunctionalInterface
public interface LayerTap {
    LayerTap NONE = (layer, input) -> { };

    void onInput(LayerSpec layer, NDArray input);
}
