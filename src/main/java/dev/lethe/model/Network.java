package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network written as a function of named parameters, so that every parameter carries its
 * PyTorch state-dict name and every Conv2d/Linear input can be tapped. Subclasses declare their
 * parameters in the constructor and write {@link #forward}; inputs are pixels in [0, 1] of shape
 * (N, 1, 28, 28) and are normalised inside the network.
 */
public abstract class Network implements AutoCloseable {
    /** Fashion-MNIST training-set pixel mean and standard deviation. */
    static final float PIXEL_MEAN = 0.2860f;
    static final float PIXEL_STD = 0.3530f;
    private static final float BN_EPS = 1e-5f;
    /**
     * PyTorch's default running-statistics update is new = 0.9 old + 0.1 batch. DJL's batchNorm
     * takes the weight of the old value (MXNet's convention) and hands torch {@code 1 - m}, so 0.9
     * here is PyTorch's momentum 0.1 (NetworkTest checks the numbers).
     */
    private static final float BN_MOMENTUM = 0.9f;

    private final NDManager manager;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final Map<String, LayerSpec> layers = new LinkedHashMap<>();
    private final List<String> trainable = new ArrayList<>();
    private final SplittableRandom init;

    protected Network(NDManager manager, long seed) {
        this.manager = manager.newSubManager();
        this.init = new SplittableRandom(seed);
    }

    public abstract Architecture architecture();

    /** Logits for pixels in [0, 1], shape (N, 1, 28, 28). */
    protected abstract NDArray forward(Pass pass, NDArray normalized);

    public final NDArray logits(NDArray pixels, boolean training, LayerTap tap) {
        NDArray x = pixels.sub(PIXEL_MEAN).div(PIXEL_STD);
        return forward(new Pass(training, tap), x);
    }

    /** The manager that owns this network's tensors; per-batch work uses sub-managers of it. */
    public final NDManager manager() {
        return manager;
    }

    /** Conv2d and Linear layers in forward order. */
    public final List<LayerSpec> layers() {
        return List.copyOf(layers.values());
    }

    public final LayerSpec layer(String name) {
        LayerSpec spec = layers.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no layer " + name + " in " + architecture().id());
        }
        return spec;
    }

    /** The state dict: parameters and buffers under PyTorch names, in declaration order. */
    public final Map<String, NDArray> state() {
        return Collections.unmodifiableMap(state);
    }

    public final List<String> trainableNames() {
        return List.copyOf(trainable);
    }

    public final NDArray get(String name) {
        NDArray a = state.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + architecture().id());
        }
        return a;
    }

    /** Overwrites a parameter in place with values of the same shape. */
    public final void set(String name, float[] values) {
        NDArray a = get(name);
        if (a.size() != values.length) {
            throw new IllegalArgumentException(name + " has " + a.size() + " values, got " + values.length);
        }
        a.set(values);
    }

    /** Copies every tensor of {@code list} (matched by name, shapes checked) into this network. */
    public final void load(NDList list) {
        for (NDArray a : list) {
            NDArray own = get(a.getName());
            if (!own.getShape().equals(a.getShape())) {
                throw new IllegalArgumentException(a.getName() + ": expected shape " + own.getShape()
                        + ", file has " + a.getShape());
            }
            own.set(a.toType(own.getDataType(), false).toByteBuffer());
        }
        if (list.size() != state.size()) {
            throw new IllegalArgumentException("expected " + state.size() + " tensors, file has " + list.size());
        }
    }

    /** The state dict as a named list (for safetensors), in declaration order. */
    public final NDList toNDList() {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            NDArray a = e.getValue();
            a.setName(e.getKey());
            list.add(a);
        }
        return list;
    }

    @Override
    public void close() {
        manager.close();
    }

    // ---- declaration -------------------------------------------------------------------------

    protected final void declareConv(String name, int in, int out, int kernel, int stride, int padding,
                                                                      boolean bias) {
        LayerSpec spec = LayerSpec.conv(name, in, out, kernel, stride, padding, bias);
        declareLayer(spec);
    }

    protected final void declareLinear(String name, int in, int out) {
        declareLayer(LayerSpec.linear(name, in, out));
    }

    private void declareLayer(LayerSpec spec) {
        layers.put(spec.name(), spec);
        // PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
        double bound = 1.0 / Math.sqrt(spec.inputDim());
        parameter(spec.weight(), uniform(spec.weightShape(), bound), true);
        if (spec.bias()) {
            parameter(spec.name() + ".bias", uniform(new long[] {spec.out()}, bound), true);
        }
    }

    protected final void declareBatchNorm(String name, int channels) {
        parameter(name + ".weight", manager.ones(new Shape(channels)), true);
        parameter(name + ".bias", manager.zeros(new Shape(channels)), true);
        parameter(name + ".running_mean", manager.zeros(new Shape(channels)), false);
        parameter(name + ".running_var", manager.ones(new Shape(channels)), false);
        parameter(name + ".num_batches_tracked", manager.zeros(new Shape(), DataType.INT64), false);
    }

    private void parameter(String name, NDArray value, boolean train) {
        value.setName(name);
        state.put(name, value);
        if (train) {
            trainable.add(name);
        }
    }

    private NDArray uniform(long[] shape, double bound) {
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
        }
        return manager.create(v, s);
    }

    // ---- forward building blocks ----------------------------------------------------------------

    /** One forward pass: whether BatchNorm uses batch statistics, and who watches the layers. */
    protected record Pass(boolean training, LayerTap tap) { }

    protected final NDArray conv(Pass pass, String name, NDArray x) {
        LayerSpec s = layers.get(name);
        pass.tap().onInput(s, x);
        NDArray bias = s.bias() ? state.get(name + ".bias") : null;
        Shape stride = new Shape(s.stride(), s.stride());
        Shape pad = new Shape(s.padding(), s.padding());
        Shape dil = new Shape(s.dilation(), s.dilation());
        return Conv2d.conv2d(x, state.get(s.weight()), bias, stride, pad, dil).singletonOrThrow();
    }

    protected final NDArray linear(Pass pass, String name, NDArray x) {
        LayerSpec s = layers.get(name);
        pass.tap().onInput(s, x);
        return Linear.linear(x, state.get(s.weight()), state.get(name + ".bias")).singletonOrThrow();
    }

    protected final NDArray batchNorm(Pass pass, String name, NDArray x) {
        NDArray out = BatchNorm.batchNorm(x, state.get(name + ".running_mean"), state.get(name + ".running_var"),
                state.get(name + ".weight"), state.get(name + ".bias"), 1, BN_MOMENTUM, BN_EPS, pass.training())
                .singletonOrThrow();
        if (pass.training()) {
            NDArray count = state.get(name + ".num_batches_tracked");
            count.addi(1);
        }
        return out;
    }

    protected static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    protected static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }
}
