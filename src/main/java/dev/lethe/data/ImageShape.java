package dev.lethe.data;

/** The shape of one image a model takes: channels x height x width, written "3x32x32". */
public record ImageShape(int channels, int height, int width) {
    /** Fashion-MNIST's 1x28x28. */
    public static final ImageShape FASHION_MNIST = new ImageShape(1, 28, 28);

    public ImageShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /** Values per image. */
    public int size() {
        return channels * height * width;
    }

    /** The shape of {@code data}'s images. */
    public static ImageShape of(Dataset data) {
        return new ImageShape(data.channels(), data.rows(), data.cols());
    }

    /** "CxHxW", e.g. "3x32x32". */
    public static ImageShape parse(String s) {
        String[] p = s.trim().split("x");
        try {
            if (p.length == 3) {
                return new ImageShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("image shape '" + s + "' is not CxHxW (e.g. 3x32x32)");
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
