package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link Description} into what a {@link Network} runs: the tensors to declare (names,
 * shapes, initialisation, in PyTorch's state-dict order), the layers the unlearning edits, and
 * the forward function. It follows the shapes from the input to the logits, so a description
 * that does not fit together is refused here, naming the module, before any tensor exists.
 * Pure: it allocates no tensors.
 */
final class Compiler {
    /** The forward function of one module. */
    @FunctionalInterface
    interface Op {
        NDArray apply(Pass pass, NDArray x);
    }

    /** One forward pass: BatchNorm/Dropout mode, who watches the edited layers, the tensors. */
    record Pass(boolean training, LayerTap tap, Map<String, NDArray> state) {
        NDArray get(String name) {
            return state.get(name);
        }
    }

    /** How a tensor starts: uniform in [-bound, bound], normal, or a constant. */
    record Init(Kind kind, double value) {
        enum Kind { UNIFORM, NORMAL, CONSTANT }

        static Init uniform(double bound) {
            return new Init(Kind.UNIFORM, bound);
        }

        static Init normal(double std) {
            return new Init(Kind.NORMAL, std);
        }

        static Init constant(double v) {
            return new Init(Kind.CONSTANT, v);
        }
    }

    /** A declared tensor; {@code int64} only for BatchNorm's counter. */
    record Param(String name, long[] shape, boolean int64, Init init, boolean trainable) { }

    /**
     * @param layers the edited layers, in declaration (= forward) order
     * @param logits the last Conv2d/Linear of the network, edited or not
     */
    record Compiled(List<Param> params, List<LayerSpec> layers, LayerSpec logits, Op forward) { }

    private record Step(Op op, long[] shape) { }

    private final String network;
    private final List<Param> params = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, LayerSpec> editable = new LinkedHashMap<>();
    private final Set<String> grouped = new HashSet<>();
    /** Filled once the walk is done; the ops read it at forward time. */
    private final Set<String> edited = new HashSet<>();
    private LayerSpec lastWeightLayer;

    private Compiler(String network) {
        this.network = network;
    }

    static Compiled compile(Description d) {
        Compiler c = new Compiler(d.name());
        Description.Input in = d.input();
        Step body = c.sequence(d.modules(), "", new long[] {in.channels(), in.height(), in.width()});
        if (body.shape().length != 1 || body.shape()[0] != d.classes()) {
            throw new IllegalArgumentException(d.name() + ": the modules end in " + shape(body.shape())
                    + " per sample, expected the " + d.classes() + " logits of its classes");
        }
        List<LayerSpec> layers = c.selectEdited(d.edit());
        return new Compiled(List.copyOf(c.params), layers, c.lastWeightLayer, body.op());
    }

    private List<LayerSpec> selectEdited(List<String> edit) {
        if (edit == null) {
            edited.addAll(editable.keySet());
        } else {
            for (String layer : edit) {
                if (grouped.contains(layer)) {
                    throw new IllegalArgumentException(network + ": edit: " + layer + " is a grouped Conv2d; "
                            + "its weight acts on each group's channels separately and Lethe edits only groups = 1");
                }
                if (!editable.containsKey(layer)) {
                    throw new IllegalArgumentException(network + ": edit: no Conv2d or Linear named " + layer
                            + " (there are: " + String.join(", ", editable.keySet()) + ")");
                }
                if (!edited.add(layer)) {
                    throw new IllegalArgumentException(network + ": edit: " + layer + " is listed twice");
                }
            }
        }
        if (edited.isEmpty()) {
            throw new IllegalArgumentException(network + ": no layer to edit");
        }
        return editable.values().stream().filter(l -> edited.contains(l.name())).toList();
    }

    // ---- containers ---------------------------------------------------------------------------

    private Step sequence(List<ModuleSpec> modules, String prefix, long[] in) {
        List<Op> ops = new ArrayList<>();
        long[] shape = in;
        for (int i = 0; i < modules.size(); i++) {
            ModuleSpec m = modules.get(i);
            String name = m.name() == null ? Integer.toString(i) : m.name();
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException(network + ": module name '" + name + "' under '" + prefix
                        + "' must be letters, digits or '_' (dots come from nesting)");
            }
            Step s = module(m, prefix.isEmpty() ? name : prefix + "." + name, shape);
            ops.add(s.op());
            shape = s.shape();
        }
        Op[] chain = ops.toArray(new Op[0]);
        return new Step((p, x) -> {
            NDArray h = x;
            for (Op op : chain) {
                h = op.apply(p, h);
            }
            return h;
        }, shape);
    }

    private Step module(ModuleSpec m, String path, long[] in) {
        if (m instanceof ModuleSpec.Conv2d c) {
            return conv(c, path, in);
        } else if (m instanceof ModuleSpec.Linear l) {
            return linear(l, path, in);
        } else if (m instanceof ModuleSpec.BatchNorm2d b) {
            return batchNorm(b, path, in);
        } else if (m instanceof ModuleSpec.LayerNorm l) {
            return layerNorm(path, in, l.normalizedShape(), or(l.eps(), 1e-5));
        } else if (m instanceof ModuleSpec.ReLU) {
            return new Step((p, x) -> ai.djl.nn.Activation.relu(x), in);
        } else if (m instanceof ModuleSpec.GELU) {
            return new Step((p, x) -> ai.djl.nn.Activation.gelu(x), in);
        } else if (m instanceof ModuleSpec.Identity) {
            return new Step((p, x) -> x, in);
        } else if (m instanceof ModuleSpec.Dropout d) {
            return dropout(path, in, or(d.p(), 0.5));
        } else if (m instanceof ModuleSpec.Flatten) {
            long flat = Arrays.stream(in).reduce(1, (a, b) -> a * b);
            return new Step((p, x) -> x.reshape(x.getShape().get(0), flat), new long[] {flat});
        } else if (m instanceof ModuleSpec.Sequential s) {
            return sequence(s.modules(), path, in);
        } else if (m instanceof ModuleSpec.BasicBlock b) {
            return basicBlock(b, path, in);
        } else if (m instanceof ModuleSpec.Bottleneck b) {
            return bottleneck(b, path, in);
        } else if (m instanceof ModuleSpec.EncoderBlock e) {
            return encoderBlock(e, path, in);
        } else if (m instanceof ModuleSpec.MultiheadAttention a) {
            return attention(path, in, a.embedDim(), a.numHeads(), or(a.bias(), true));
        }
        return Shapes.module(this, m, path, in);
    }

    // ---- weight layers ------------------------------------------------------------------------

    private Step conv(ModuleSpec.Conv2d c, String path, long[] in) {
        int k = c.kernelSize();
        int stride = or(c.stride(), 1);
        int padding = or(c.padding(), 0);
        int dilation = or(c.dilation(), 1);
        int groups = or(c.groups(), 1);
        check(k >= 1 && stride >= 1 && padding >= 0 && dilation >= 1 && groups >= 1, path,
                "kernel_size, stride, dilation and groups must be >= 1 and padding >= 0");
        check(c.inChannels() % groups == 0 && c.outChannels() % groups == 0, path,
                "in_channels " + c.inChannels() + " and out_channels " + c.outChannels()
                        + " must be multiples of groups " + groups);
        expect(in.length == 3 && in[0] == c.inChannels(), path, "Conv2d with in_channels=" + c.inChannels(), in);
        LayerSpec spec = LayerSpec.conv(path, c.inChannels(), c.outChannels(), k, stride, padding, dilation,
                or(c.bias(), true));
        int fanIn = c.inChannels() / groups * k * k;
        Init init = Init.uniform(1.0 / Math.sqrt(fanIn)); // PyTorch's default for weight and bias
        param(spec.weight(), new long[] {c.outChannels(), c.inChannels() / groups, k, k}, init);
        if (spec.bias()) {
            param(spec.biasName(), new long[] {c.outChannels()}, init);
        }
        if (groups == 1) {
            editable.put(path, spec);
        } else {
            grouped.add(path);
        }
        lastWeightLayer = spec;
        long h = spec.outputSize(in[1]);
        long w = spec.outputSize(in[2]);
        check(h >= 1 && w >= 1, path, "a " + in[1] + "x" + in[2] + " map is too small for this kernel");
        Op op = (p, x) -> {
            tap(p, spec, x);
            return Ops.conv(x, p.get(spec.weight()), spec.bias() ? p.get(spec.biasName()) : null, stride,
                    padding, dilation, groups);
        };
        return new Step(op, new long[] {c.outChannels(), h, w});
    }

    private Step linear(ModuleSpec.Linear l, String path, long[] in) {
        LayerSpec spec = LayerSpec.linear(path, l.inFeatures(), l.outFeatures(), or(l.bias(), true));
        return linearLayer(spec, in, Init.uniform(1.0 / Math.sqrt(l.inFeatures())), null);
    }

    /** A Linear on samples (D) or tokens (T, D); {@code biasInit} null: the weight's. */
    private Step linearLayer(LayerSpec spec, long[] in, Init weightInit, Init biasInit) {
        check(spec.in() >= 1 && spec.out() >= 1, spec.name(), "features must be >= 1");
        expect(in.length >= 1 && in.length <= 2 && in[in.length - 1] == spec.in(), spec.name(),
                "Linear with in_features=" + spec.in() + " (samples or tokens)", in);
        param(spec.weight(), spec.weightShape(), weightInit);
        if (spec.bias()) {
            param(spec.biasName(), new long[] {spec.out()}, biasInit == null ? weightInit : biasInit);
        }
        editable.put(spec.name(), spec);
        lastWeightLayer = spec;
        long[] out = in.clone();
        out[out.length - 1] = spec.out();
        Op op = (p, x) -> {
            tap(p, spec, x);
            return Ops.linear(x, p.get(spec.weight()), spec.bias() ? p.get(spec.biasName()) : null);
        };
        return new Step(op, out);
    }

    private void tap(Pass p, LayerSpec spec, NDArray x) {
        if (edited.contains(spec.name())) {
            p.tap().onInput(spec, x);
        }
    }

    // ---- normalisation and dropout --------------------------------------------------------------

    private Step batchNorm(ModuleSpec.BatchNorm2d b, String path, long[] in) {
        expect(in.length == 3 && in[0] == b.numFeatures(), path, "BatchNorm2d with num_features=" + b.numFeatures(),
                in);
        float eps = (float) or(b.eps(), 1e-5);
        double momentum = or(b.momentum(), 0.1);
        check(eps > 0 && momentum >= 0 && momentum <= 1, path, "eps must be > 0 and momentum in [0, 1]");
        long[] c = {b.numFeatures()};
        param(path + ".weight", c, Init.constant(1));
        param(path + ".bias", c, Init.constant(0));
        buffer(path + ".running_mean", c, false);
        buffer(path + ".running_var", c, false);
        buffer(path + ".num_batches_tracked", new long[0], true);
        return new Step((p, x) -> Ops.batchNorm(p, path, x, eps, momentum), in);
    }

    private Step layerNorm(String path, long[] in, int dim, double eps) {
        expect(in.length >= 1 && in[in.length - 1] == dim, path, "LayerNorm with normalized_shape=" + dim, in);
        check(eps > 0, path, "eps must be > 0");
        param(path + ".weight", new long[] {dim}, Init.constant(1));
        param(path + ".bias", new long[] {dim}, Init.constant(0));
        return new Step((p, x) -> Ops.layerNorm(p, path, x, dim, (float) eps), in);
    }

    private Step dropout(String path, long[] in, double rate) {
        check(rate >= 0 && rate < 1, path, "dropout p must be in [0, 1), got " + rate);
        return new Step((p, x) -> Ops.dropout(x, rate, p.training()), in);
    }

    // ---- blocks ---------------------------------------------------------------------------------

    private Step basicBlock(ModuleSpec.BasicBlock b, String path, long[] in) {
        int stride = or(b.stride(), 1);
        int planes = b.planes();
        Step conv1 = conv(convSpec("conv1", b.inplanes(), planes, 3, stride, 1), path + ".conv1", in);
        Step bn1 = batchNorm(new ModuleSpec.BatchNorm2d("bn1", planes, null, null), path + ".bn1", conv1.shape());
        Step conv2 = conv(convSpec("conv2", planes, planes, 3, 1, 1), path + ".conv2", bn1.shape());
        Step bn2 = batchNorm(new ModuleSpec.BatchNorm2d("bn2", planes, null, null), path + ".bn2", conv2.shape());
        Step down = stride != 1 || b.inplanes() != planes ? downsample(path, b.inplanes(), planes, stride, in) : null;
        Op op = (p, x) -> {
            NDArray h = ai.djl.nn.Activation.relu(bn1.op().apply(p, conv1.op().apply(p, x)));
            h = bn2.op().apply(p, conv2.op().apply(p, h));
            NDArray shortcut = down == null ? x : down.op().apply(p, x);
            return ai.djl.nn.Activation.relu(h.add(shortcut));
        };
        return new Step(op, bn2.shape());
    }

    private Step bottleneck(ModuleSpec.Bottleneck b, String path, long[] in) {
        int stride = or(b.stride(), 1);
        int groups = or(b.groups(), 1);
        int width = (int) (b.planes() * (or(b.baseWidth(), 64) / 64.0)) * groups;
        int out = b.planes() * 4;
        Step conv1 = conv(convSpec("conv1", b.inplanes(), width, 1, 1, 0), path + ".conv1", in);
        Step bn1 = batchNorm(new ModuleSpec.BatchNorm2d("bn1", width, null, null), path + ".bn1", conv1.shape());
        Step conv2 = conv(new ModuleSpec.Conv2d("conv2", width, width, 3, stride, 1, null, groups, false),
                path + ".conv2", bn1.shape());
        Step bn2 = batchNorm(new ModuleSpec.BatchNorm2d("bn2", width, null, null), path + ".bn2", conv2.shape());
        Step conv3 = conv(convSpec("conv3", width, out, 1, 1, 0), path + ".conv3", bn2.shape());
        Step bn3 = batchNorm(new ModuleSpec.BatchNorm2d("bn3", out, null, null), path + ".bn3", conv3.shape());
        Step down = stride != 1 || b.inplanes() != out ? downsample(path, b.inplanes(), out, stride, in) : null;
        Op op = (p, x) -> {
            NDArray h = ai.djl.nn.Activation.relu(bn1.op().apply(p, conv1.op().apply(p, x)));
            h = ai.djl.nn.Activation.relu(bn2.op().apply(p, conv2.op().apply(p, h)));
            h = bn3.op().apply(p, conv3.op().apply(p, h));
            NDArray shortcut = down == null ? x : down.op().apply(p, x);
            return ai.djl.nn.Activation.relu(h.add(shortcut));
        };
        return new Step(op, bn3.shape());
    }

    /** torchvision's shortcut: {@code downsample.0} (1x1 conv, stride, no bias), {@code downsample.1} (BatchNorm). */
    private Step downsample(String path, int in, int out, int stride, long[] shape) {
        return sequence(List.of(convSpec(null, in, out, 1, stride, 0),
                new ModuleSpec.BatchNorm2d(null, out, null, null)), path + ".downsample", shape);
    }

    private static ModuleSpec.Conv2d convSpec(String name, int in, int out, int k, int stride, int padding) {
        return new ModuleSpec.Conv2d(name, in, out, k, stride, padding, null, null, false);
    }

    private Step encoderBlock(ModuleSpec.EncoderBlock e, String path, long[] in) {
        double eps = or(e.eps(), 1e-6);
        double rate = or(e.dropout(), 0.0);
        int d = e.hiddenDim();
        Step ln1 = layerNorm(path + ".ln_1", in, d, eps);
        Step attention = attention(path + ".self_attention", ln1.shape(), d, e.numHeads(), true);
        Step drop = dropout(path + ".dropout", attention.shape(), rate);
        Step ln2 = layerNorm(path + ".ln_2", attention.shape(), d, eps);
        Step mlp = sequence(List.of(new ModuleSpec.Linear(null, d, e.mlpDim(), null), new ModuleSpec.GELU(null),
                new ModuleSpec.Dropout(null, rate), new ModuleSpec.Linear(null, e.mlpDim(), d, null),
                new ModuleSpec.Dropout(null, rate)), path + ".mlp", ln2.shape());
        Op op = (p, x) -> {
            NDArray h = x.add(drop.op().apply(p, attention.op().apply(p, ln1.op().apply(p, x))));
            return h.add(mlp.op().apply(p, ln2.op().apply(p, h)));
        };
        return new Step(op, mlp.shape());
    }

    /**
     * Self-attention with a fused input projection. The unlearning edits it as two Linear
     * layers: {@code <path>.in_proj} (q, k and v share it, and so one basis built from their
     * common input) and {@code <path>.out_proj} (input: the heads' concatenated outputs).
     */
    private Step attention(String path, long[] in, int d, int heads, boolean bias) {
        check(d >= 1 && heads >= 1 && d % heads == 0, path, "embed_dim " + d + " must be a multiple of num_heads "
                + heads);
        expect(in.length == 2 && in[1] == d, path, "attention over tokens of width " + d, in);
        LayerSpec inProj = LayerSpec.linear(path + ".in_proj", d, 3 * d, path + ".in_proj_weight",
                bias ? path + ".in_proj_bias" : null);
        // nn.MultiheadAttention's own initialisation: xavier-uniform in_proj, zero biases.
        Step project = linearLayer(inProj, in, Init.uniform(Math.sqrt(6.0 / (d + 3 * d))), Init.constant(0));
        LayerSpec outProj = LayerSpec.linear(path + ".out_proj", d, d, bias);
        Step output = linearLayer(outProj, in, Init.uniform(1.0 / Math.sqrt(d)), Init.constant(0));
        Op op = (p, x) -> output.op().apply(p, Ops.attention(project.op().apply(p, x), heads));
        return new Step(op, in);
    }

    // ---- declarations and checks -----------------------------------------------------------------

    void param(String name, long[] shape, Init init) {
        declare(new Param(name, shape, false, init, true));
    }

    private void buffer(String name, long[] shape, boolean counter) {
        Init init = name.endsWith(".running_var") ? Init.constant(1) : Init.constant(0);
        declare(new Param(name, shape, counter, init, false));
    }

    private void declare(Param p) {
        if (!names.add(p.name())) {
            throw new IllegalArgumentException(network + ": two tensors named " + p.name());
        }
        params.add(p);
    }

    void check(boolean ok, String path, String message) {
        if (!ok) {
            throw new IllegalArgumentException(network + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        }
    }

    /** Refuses a module whose input does not have the shape it needs, saying what it gets. */
    void expect(boolean ok, String path, String needs, long[] in) {
        check(ok, path, needs + " does not fit its input " + shape(in) + " per sample");
    }

    static String shape(long[] s) {
        if (s.length == 0) {
            return "()";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ", ").append(s[i]);
        }
        return b.append(')').toString();
    }

    static int or(Integer v, int d) {
        return v == null ? d : v;
    }

    static double or(Double v, double d) {
        return v == null ? d : v;
    }

    static boolean or(Boolean v, boolean d) {
        return v == null ? d : v;
    }

    /** The parameter-free reshaping modules and the ViT's token modules. */
    private static final class Shapes {
        private Shapes() { }

        static Step module(Compiler c, ModuleSpec m, String path, long[] in) {
            if (m instanceof ModuleSpec.MaxPool2d pool) {
                return pool(c, path, in, pool.kernelSize(), or(pool.stride(), pool.kernelSize()),
                        or(pool.padding(), 0), true);
            } else if (m instanceof ModuleSpec.AvgPool2d pool) {
                return pool(c, path, in, pool.kernelSize(), or(pool.stride(), pool.kernelSize()),
                        or(pool.padding(), 0), false);
            } else if (m instanceof ModuleSpec.AdaptiveAvgPool2d pool) {
                int o = pool.outputSize();
                c.check(o >= 1, path, "output_size must be >= 1");
                c.expect(in.length == 3, path, "AdaptiveAvgPool2d", in);
                return new Step((p, x) -> Ops.adaptiveAvgPool(x, o), new long[] {in[0], o, o});
            } else if (m instanceof ModuleSpec.Tokens) {
                c.expect(in.length == 3, path, "Tokens (a (D, h, w) map)", in);
                return new Step((p, x) -> {
                    Shape s = x.getShape();
                    return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
                }, new long[] {in[1] * in[2], in[0]});
            } else if (m instanceof ModuleSpec.ClassToken t) {
                c.expect(in.length == 2 && in[1] == t.hiddenDim(), path, "ClassToken of width " + t.hiddenDim(), in);
                c.param(path, new long[] {1, 1, t.hiddenDim()}, Init.constant(0)); // torchvision: zeros
                return new Step((p, x) -> {
                    long n = x.getShape().get(0);
                    NDArray token = p.get(path).broadcast(new Shape(n, 1, t.hiddenDim()));
                    // An op's result lives with its first operand's manager: left with the
                    // parameter's, the token and every array computed from it (the whole encoder's
                    // activations, with their autograd graph in training) would outlive the pass.
                    token.attach(x.getManager());
                    return NDArrays.concat(new NDList(token, x), 1);
                }, new long[] {in[0] + 1, in[1]});
            } else if (m instanceof ModuleSpec.PositionEmbedding e) {
                c.expect(in.length == 2 && in[0] == e.seqLength() && in[1] == e.hiddenDim(), path,
                        "PositionEmbedding of " + e.seqLength() + " x " + e.hiddenDim(), in);
                c.param(path, new long[] {1, e.seqLength(), e.hiddenDim()}, Init.normal(0.02)); // torchvision's
                return new Step((p, x) -> x.add(p.get(path)), in);
            } else if (m instanceof ModuleSpec.SelectToken s) {
                int index = or(s.index(), 0);
                c.expect(in.length == 2 && index >= 0 && index < in[0], path, "SelectToken " + index, in);
                return new Step((p, x) -> x.get(":, " + index), new long[] {in[1]});
            }
            throw new IllegalArgumentException(c.network + ": " + path + ": unsupported module " + m);
        }

        private static Step pool(Compiler c, String path, long[] in, int k, int stride, int padding, boolean max) {
            c.check(k >= 1 && stride >= 1 && padding >= 0 && 2 * padding <= k, path,
                    "kernel_size and stride must be >= 1, padding at most half the kernel");
            c.expect(in.length == 3, path, max ? "MaxPool2d" : "AvgPool2d", in);
            long h = (in[1] + 2L * padding - k) / stride + 1;
            long w = (in[2] + 2L * padding - k) / stride + 1;
            c.check(h >= 1 && w >= 1, path, "a " + in[1] + "x" + in[2] + " map is too small for this pool");
            Op op = max ? (p, x) -> Ops.maxPool(x, k, stride, padding) : (p, x) -> Ops.avgPool(x, k, stride, padding);
            return new Step(op, new long[] {in[0], h, w});
        }
    }
}
