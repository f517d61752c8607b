package dev.lethe.model;

/**
 * One weight layer the unlearning method edits: a Conv2d or a Linear. Its input representation
 * has {@link #inputDim()} rows: {@code in} for a Linear, {@code in * kernel * kernel} for a conv,
 * the same order as the flattened PyTorch weight {@code (out, in, kh, kw)}.
 */
public record LayerSpec(String name, Kind kind, int in, int out, int kernel, int stride, int padding,
                                                int dilation, boolean bias) {

    public enum Kind { CONV, LINEAR }

    public static LayerSpec conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
        return new LayerSpec(name, Kind.CONV, in, out, kernel, stride, padding, 1, bias);
    }

    public static LayerSpec linear(String name, int in, int out) {
        return new LayerSpec(name, Kind.LINEAR, in, out, 1, 1, 0, 1, true);
    }

    /** The PyTorch state-dict name of the weight. */
    public String weight() {
        return name + ".weight";
    }

    public int inputDim() {
        return kind == Kind.CONV ? in * kernel * kernel : in;
    }

    public long[] weightShape() {
        return kind == Kind.CONV ? new long[] {out, in, kernel, kernel} : new long[] {out, in};
    }
}
