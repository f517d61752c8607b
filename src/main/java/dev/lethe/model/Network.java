package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network built from its {@link Architecture}'s description: every tensor under its PyTorch
 * state-dict name, every edited Conv2d/Linear input open to a {@link LayerTap}. Inputs are
 * pixels in [0, 1], normalised inside the network with the description's mean and std.
 */
public final class Network implements AutoCloseable {
    private final Architecture architecture;
    private final Compiler.Compiled compiled;
    private final NDManager manager;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final Map<String, LayerSpec> layers = new LinkedHashMap<>();
    private final Map<String, LayerSpec> byWeight = new LinkedHashMap<>();
    private final List<String> trainable = new ArrayList<>();

    /**
     * Tensors initialised in declaration order from one generator seeded with {@code seed}:
     * each module's PyTorch default (uniform in +-1/sqrt(fan_in) for Conv2d and Linear weights
     * and biases), so the same seed gives the same bytes.
     */
    Network(Architecture architecture, NDManager parent, long seed) {
        this.architecture = architecture;
        this.compiled = architecture.compiled();
        this.manager = parent.newSubManager();
        SplittableRandom init = new SplittableRandom(seed);
        for (Compiler.Param p : compiled.params()) {
            NDArray value = initial(p, init);
            value.setName(p.name());
            state.put(p.name(), value);
            if (p.trainable()) {
                trainable.add(p.name());
            }
        }
        for (LayerSpec l : compiled.layers()) {
            layers.put(l.name(), l);
            byWeight.put(l.weight(), l);
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    /**
     * Logits for pixels in [0, 1], shape (N, C, H, W) of the description's input. A grey batch
     * is given to a colour network with its channel repeated, and a smaller image is padded
     * with black (0) around its centre: how Fashion-MNIST's 28x28 grey images feed the 3x32x32
     * networks.
     */
    public NDArray logits(NDArray pixels, boolean training, LayerTap tap) {
        NDArray x = normalise(fit(pixels));
        return compiled.forward().apply(new Compiler.Pass(training, tap, state), x);
    }

    private NDArray fit(NDArray pixels) {
        Description.Input in = architecture.description().input();
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || (s.get(1) != in.channels() && s.get(1) != 1) || s.get(2) > in.height()
                || s.get(3) > in.width()) {
            throw new IllegalArgumentException(architecture.id() + " takes (N, " + in.channels() + ", "
                    + in.height() + ", " + in.width() + ") pixels (or grey / smaller images to pad), got " + s);
        }
        NDArray x = pixels;
        if (s.get(2) < in.height() || s.get(3) < in.width()) {
            x = pad(x, 2, in.height());
            x = pad(x, 3, in.width());
        }
        if (x.getShape().get(1) != in.channels()) {
            x = x.broadcast(new Shape(s.get(0), in.channels(), in.height(), in.width()));
        }
        return x;
    }

    /** Zeros on both sides of {@code axis} up to {@code size}, the odd one after. */
    private static NDArray pad(NDArray x, int axis, long size) {
        long have = x.getShape().get(axis);
        long before = (size - have) / 2;
        long after = size - have - before;
        if (before == 0 && after == 0) {
            return x;
        }
        long[] dims = x.getShape().getShape().clone();
        dims[axis] = before;
        NDArray a = x.getManager().zeros(new Shape(dims), x.getDataType()).toDevice(x.getDevice(), false);
        dims[axis] = after;
        NDArray b = x.getManager().zeros(new Shape(dims), x.getDataType()).toDevice(x.getDevice(), false);
        return NDArrays.concat(new NDList(a, x, b), axis);
    }

    private NDArray normalise(NDArray x) {
        Description.Input in = architecture.description().input();
        if (in.mean().stream().distinct().count() == 1 && in.std().stream().distinct().count() == 1) {
            return x.sub(in.mean().get(0).floatValue()).div(in.std().get(0).floatValue());
        }
        NDManager m = x.getManager();
        Shape perChannel = new Shape(1, in.channels(), 1, 1);
        NDArray mean = m.create(floats(in.mean()), perChannel).toDevice(x.getDevice(), false);
        NDArray std = m.create(floats(in.std()), perChannel).toDevice(x.getDevice(), false);
        return x.sub(mean).div(std);
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /** The manager that owns this network's tensors; per-batch work uses sub-managers of it. */
    public NDManager manager() {
        return manager;
    }

    /** The edited Conv2d and Linear layers, in forward order. */
    public List<LayerSpec> layers() {
        return List.copyOf(layers.values());
    }

    public LayerSpec layer(String name) {
        LayerSpec spec = layers.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no edited layer " + name + " in " + architecture.id());
        }
        return spec;
    }

    /** The edited layer whose weight has this state-dict name. */
    public LayerSpec layerOfWeight(String weight) {
        LayerSpec spec = byWeight.get(weight);
        if (spec == null) {
            throw new IllegalArgumentException(weight + " is not the weight of an edited layer of " + architecture.id());
        }
        return spec;
    }

    /**
     * The layer whose outputs are the logits, for head re-centring: the last edited layer,
     * which must be the network's last weight layer, a Linear with a bias and one row per class.
     */
    public LayerSpec head() {
        List<LayerSpec> edited = compiled.layers();
        LayerSpec last = edited.get(edited.size() - 1);
        LayerSpec logits = compiled.logits();
        if (!last.equals(logits)) {
            throw new IllegalStateException(architecture.id() + ": the logits layer " + logits.name()
                    + " is not edited, so there is no head to re-centre");
        }
        if (last.kind() != LayerSpec.Kind.LINEAR || !last.bias() || last.out() != architecture.description().classes()) {
            throw new IllegalStateException(architecture.id() + ": head " + last.name()
                    + " must be a Linear with a bias and one output per class to be re-centred");
        }
        return last;
    }

    /** The state dict: parameters and buffers under PyTorch names, in declaration order. */
    public Map<String, NDArray> state() {
        return Collections.unmodifiableMap(state);
    }

    public List<String> trainableNames() {
        return List.copyOf(trainable);
    }

    public NDArray get(String name) {
        NDArray a = state.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + architecture.id());
        }
        return a;
    }

    /** Overwrites a parameter in place with values of the same shape. */
    public void set(String name, float[] values) {
        NDArray a = get(name);
        if (a.size() != values.length) {
            throw new IllegalArgumentException(name + " has " + a.size() + " values, got " + values.length);
        }
        try (NDArray src = manager.create(values, a.getShape()).toDevice(a.getDevice(), false)) {
            overwrite(a, src);
        }
    }

    /**
     * Copies {@code values} into {@code own} in place, bit for bit. Not {@code NDArray.set(Buffer)}:
     * DJL's native side of that runs under PyTorch's deprecated AutoNonVariableTypeMode, and
     * libtorch prints a deprecation warning on its first use; a full-slice copy has no such guard.
     */
    private static void overwrite(NDArray own, NDArray values) {
        NDArray typed = values.toType(own.getDataType(), false);
        try {
            own.set(new NDIndex("..."), typed);
        } finally {
            if (typed != values) {
                typed.close();
            }
        }
    }

    /**
     * Copies every tensor of {@code list} into this network, converting to this network's
     * types, after checking that names and shapes are exactly the description's
     * ({@link StateCheck} names the first mismatch).
     */
    public void load(NDList list) {
        Map<String, long[]> found = new LinkedHashMap<>();
        for (NDArray a : list) {
            found.put(a.getName(), a.getShape().getShape());
        }
        StateCheck.require(architecture, found);
        for (NDArray a : list) {
            NDArray own = state.get(a.getName());
            overwrite(own, a);
        }
    }

    /** The state dict as a named list (for safetensors), in declaration order. */
    public NDList toNDList() {
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

    private NDArray initial(Compiler.Param p, SplittableRandom rng) {
        Shape shape = new Shape(p.shape());
        if (p.int64()) {
            return manager.zeros(shape, DataType.INT64);
        }
        Compiler.Init init = p.init();
        if (init.kind() == Compiler.Init.Kind.CONSTANT) {
            return manager.full(shape, (float) init.value());
        }
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = init.kind() == Compiler.Init.Kind.UNIFORM
                    ? (float) ((rng.nextDouble() * 2 - 1) * init.value())
                    : (float) (rng.nextGaussian() * init.value());
        }
        return manager.create(v, shape);
    }
}
