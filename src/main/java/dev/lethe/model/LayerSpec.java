package dev.lethe.model;

/**
 * One weight layer the unlearning method can edit: a Conv2d (groups = 1) or a Linear, the
 * attention's fused input projection included. Its input representation has
 * {@link #inputDim()} rows: {@code in} for a Linear, {@code in * kernel * kernel} for a conv,
 * the same order as the flattened PyTorch weight {@code (out, in, kh, kw)}.
 *
 * @param name the layer's name: its module path ({@code features.0}), or for an attention's
 *     projections {@code <path>.in_proj} / {@code <path>.out_proj}
 * @param weight the weight's state-dict name
 * @param biasName the bias's state-dict name, null when the layer has none
 */
public record LayerSpec(String name, Kind kind, int in, int out, int kernel, int stride, int padding,
                        int dilation, String weight, String biasName) {

    public enum Kind { CONV, LINEAR }

    /** A conv at module path {@code name}: weight {@code name.weight}, bias {@code name.bias}. */
    public static LayerSpec conv(String name, int in, int out, int kernel, int stride, int padding, int dilation,
                                 boolean bias) {
        return new LayerSpec(name, Kind.CONV, in, out, kernel, stride, padding, dilation, name + ".weight",
                bias ? name + ".bias" : null);
    }

    /** A Linear at module path {@code name}: weight {@code name.weight}, bias {@code name.bias}. */
    public static LayerSpec linear(String name, int in, int out, boolean bias) {
        return linear(name, in, out, name + ".weight", bias ? name + ".bias" : null);
    }

    /** A Linear whose tensors do not follow {@code <name>.weight} (an attention's fused projection). */
    public static LayerSpec linear(String name, int in, int out, String weight, String bias) {
        return new LayerSpec(name, Kind.LINEAR, in, out, 1, 1, 0, 1, weight, bias);
    }

    public boolean bias() {
        return biasName != null;
    }

    public int inputDim() {
        return kind == Kind.CONV ? in * kernel * kernel : in;
    }

    public long[] weightShape() {
        return kind == Kind.CONV ? new long[] {out, in, kernel, kernel} : new long[] {out, in};
    }

    /** Output positions per map side of a conv on an {@code size}-wide input. */
    public int outputSize(long size) {
        int span = dilation * (kernel - 1) + 1;
        return Math.toIntExact((size + 2L * padding - span) / stride + 1);
    }
}
