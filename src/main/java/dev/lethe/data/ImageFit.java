package dev.lethe.data;

import java.util.Arrays;

/**
 * Turns one stored 8-bit image (c x h x w, channel-major) into the model's
 * {@code channels x height x width}: channels first (grey replicated, or RGB to luma), then the
 * size ({@link DataSpec.Fit}). Everything stays 8-bit, so a fitted dataset is held as bytes.
 */
final class ImageFit {
    final int channels;
    final int height;
    final int width;
    private final DataSpec.Fit fit;

    ImageFit(int channels, int height, int width, DataSpec.Fit fit) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.fit = fit;
    }

    /** The fit {@code spec} asks for, for images stored as {@code c x h x w} where it leaves a size open. */
    static ImageFit of(DataSpec spec, int c, int h, int w) {
        return new ImageFit(spec.channels() == null ? c : spec.channels(), spec.height() == null ? h : spec.height(),
                spec.width() == null ? w : spec.width(), spec.fitOrNone());
    }

    int imageSize() {
        return channels * height * width;
    }

    /** Why an {@code h x w} image cannot be made {@code height x width}; null when it can. */
    String misfit(int h, int w) {
        if (h == height && w == width) {
            return null;
        }
        String size = h + "x" + w;
        String target = height + "x" + width;
        return switch (fit) {
            case NONE -> "is " + size + ", the model takes " + target
                    + " and the spec's fit is none (set fit pad or resize)";
            case PAD -> h > height || w > width ? "is " + size + ", larger than the " + target
                    + " that fit pad centres it in (pad never shrinks; use fit resize)" : null;
            case RESIZE -> null;
        };
    }

    /**
     * {@code n = labels.length} stored images of one size, {@code c x h x w} each, fitted: the
     * same array when they already are the model's shape.
     */
    Dataset all(byte[] raw, int[] labels, int c, int h, int w, int numClasses, java.nio.file.Path file)
            throws DataFormatException {
        String why = misfit(h, w);
        if (why != null) {
            throw new DataFormatException(file, "every image " + why);
        }
        if (c == channels && h == height && w == width) {
            return Dataset.ofBytes(raw, labels, c, h, w, numClasses);
        }
        byte[] out = new byte[labels.length * imageSize()];
        for (int i = 0; i < labels.length; i++) {
            apply(raw, i * c * h * w, c, h, w, out, i * imageSize());
        }
        return Dataset.ofBytes(out, labels, channels, height, width, numClasses);
    }

    /** Writes the image at {@code src[srcAt..]} fitted into {@code dst[dstAt..]}; {@link #misfit} must be null. */
    void apply(byte[] src, int srcAt, int c, int h, int w, byte[] dst, int dstAt) {
        if (c == channels && h == height && w == width) {
            System.arraycopy(src, srcAt, dst, dstAt, imageSize());
            return;
        }
        byte[] planes = src;
        int at = srcAt;
        int k = c;
        if (c == 3 && channels == 1) {
            planes = luma(src, srcAt, h * w);
            at = 0;
            k = 1;
        }
        int plane = height * width;
        for (int p = 0; p < k; p++) {
            resizeOrPad(planes, at + p * h * w, h, w, dst, dstAt + p * plane);
        }
        for (int p = k; p < channels; p++) {
            System.arraycopy(dst, dstAt, dst, dstAt + p * plane, plane);
        }
    }

    /** Pillow's {@code convert("L")}: ITU-R 601 luma in 16-bit fixed point, rounded. */
    static byte[] luma(byte[] rgb, int at, int plane) {
        byte[] out = new byte[plane];
        for (int i = 0; i < plane; i++) {
            int r = rgb[at + i] & 0xff;
            int g = rgb[at + plane + i] & 0xff;
            int b = rgb[at + 2 * plane + i] & 0xff;
            out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return out;
    }

    private void resizeOrPad(byte[] src, int at, int h, int w, byte[] dst, int dstAt) {
        if (h == height && w == width) {
            System.arraycopy(src, at, dst, dstAt, h * w);
        } else if (fit == DataSpec.Fit.PAD) {
            pad(src, at, h, w, dst, dstAt);
        } else {
            resize(src, at, h, w, dst, dstAt);
        }
    }

    /** Centred on zeros; an odd margin puts the extra pixel at the bottom / right (as torchvision's CenterCrop). */
    private void pad(byte[] src, int at, int h, int w, byte[] dst, int dstAt) {
        Arrays.fill(dst, dstAt, dstAt + height * width, (byte) 0);
        int top = (height - h) / 2;
        int left = (width - w) / 2;
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, at + y * w, dst, dstAt + (top + y) * width + left, w);
        }
    }

    /** Separable triangle filter over pixel centres, widened by the scale when shrinking. */
    private void resize(byte[] src, int at, int h, int w, byte[] dst, int dstAt) {
        Weights across = Weights.of(w, width);
        Weights down = Weights.of(h, height);
        double[] rows = new double[h * width];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int j = 0; j < across.weights[x].length; j++) {
                    s += across.weights[x][j] * (src[at + y * w + across.first[x] + j] & 0xff);
                }
                rows[y * width + x] = s;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int j = 0; j < down.weights[y].length; j++) {
                    s += down.weights[y][j] * rows[(down.first[y] + j) * width + x];
                }
                dst[dstAt + y * width + x] = (byte) Math.max(0, Math.min(255, Math.round(s)));
            }
        }
    }

    /** For each output index, the first input index it reads and the normalised weights from there. */
    private record Weights(int[] first, double[][] weights) {
        static Weights of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support + 0.5));
                int hi = Math.min(in, (int) Math.floor(centre + support + 0.5));
                double[] wts = new double[Math.max(hi - lo, 0)];
                double sum = 0;
                for (int i = lo; i < hi; i++) {
                    double t = Math.abs((i + 0.5 - centre) / support);
                    wts[i - lo] = t < 1 ? 1 - t : 0;
                    sum += wts[i - lo];
                }
                for (int i = 0; i < wts.length; i++) {
                    wts[i] /= sum;
                }
                first[o] = lo;
                weights[o] = wts;
            }
            return new Weights(first, weights);
        }
    }
}
