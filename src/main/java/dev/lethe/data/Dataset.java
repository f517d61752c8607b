package dev.lethe.data;

import java.util.Arrays;

/**
 * Labelled images: {@code size()} images of {@code channels x rows x cols} pixels, image after
 * image, each channel-major then row-major (the layout of a PyTorch (N, C, H, W) tensor).
 *
 * <p>Pixels are held either as bytes, each standing for {@code (b & 0xff) / 255f} (what every
 * reader produces: a 3x32x32 training set of 60,000 images is 184 MB as bytes, 737 MB as
 * floats), or as floats (datasets built in code). Either way a pixel is read as a float in
 * [0, 1] for 8-bit data; {@link #batch} converts only the images a batch needs.
 *
 * <p>The arrays are held, not copied; everything that builds a new dataset ({@link #select})
 * copies.
 */
public final class Dataset {
    private final byte[] bytes;
    private final float[] floats;
    private final int[] labels;
    private final int channels;
    private final int rows;
    private final int cols;
    private final int numClasses;

    /** One-channel images; the class count is the largest label + 1 (0 when empty). */
    public Dataset(float[] pixels, int[] labels, int rows, int cols) {
        this(pixels, labels, 1, rows, cols, Arrays.stream(labels).max().orElse(-1) + 1);
    }

    /** One-channel images of {@code numClasses} classes; every label must lie in [0, numClasses). */
    public Dataset(float[] pixels, int[] labels, int rows, int cols, int numClasses) {
        this(pixels, labels, 1, rows, cols, numClasses);
    }

    /** Images of {@code channels x rows x cols} float pixels. */
    public Dataset(float[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {
        this(null, pixels, labels, channels, rows, cols, numClasses);
    }

    private Dataset(byte[] bytes, float[] floats, int[] labels, int channels, int rows, int cols, int numClasses) {
        if (channels <= 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + rows + "x" + cols);
        }
        long need = (long) labels.length * channels * rows * cols;
        long have = bytes != null ? bytes.length : floats.length;
        if (need != have) {
            throw new IllegalArgumentException(labels.length + " labels of " + channels + "x" + rows + "x" + cols
                    + " images need " + need + " pixels, got " + have);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        this.bytes = bytes;
        this.floats = floats;
        this.labels = labels;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
    }

    /**
     * Images of 8-bit pixels, {@code channels x rows x cols} each; byte {@code b} is the pixel
     * {@code (b & 0xff) / 255f}. The array is held, not copied.
     */
    public static Dataset ofBytes(byte[] pixels, int[] labels, int channels, int rows, int cols, int numClasses) {
        return new Dataset(pixels, null, labels, channels, rows, cols, numClasses);
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Values per image, {@code channels * rows * cols}. */
    public int imageSize() {
        return channels * rows * cols;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Whether the pixels are held as 8-bit values ({@link #imageBytes} works). */
    public boolean isEightBit() {
        return bytes != null;
    }

    /** All pixels as floats, image after image, in a new array (4 bytes a pixel: prefer {@link #batch}). */
    public float[] pixels() {
        return batch(null, 0, size());
    }

    /**
     * The images {@code order[from..to)} (or {@code from..to} when {@code order} is null) as
     * floats, one after another: the data of an (N, C, H, W) tensor with N = to - from.
     */
    public float[] batch(int[] order, int from, int to) {
        int n = imageSize();
        float[] out = new float[(to - from) * n];
        for (int k = from; k < to; k++) {
            copyImage(order == null ? k : order[k], out, (k - from) * n);
        }
        return out;
    }

    /** A copy of image {@code i} as floats. */
    public float[] image(int i) {
        return batch(null, i, i + 1);
    }

    /** A copy of image {@code i} as 8-bit values; only for {@linkplain #isEightBit() 8-bit} data. */
    public byte[] imageBytes(int i) {
        if (bytes == null) {
            throw new UnsupportedOperationException("this dataset holds float pixels, not 8-bit values");
        }
        int n = imageSize();
        return Arrays.copyOfRange(bytes, i * n, (i + 1) * n);
    }

    /** The dataset's own 8-bit pixels (null for float data): for the readers, which hand them on. */
    byte[] rawBytes() {
        return bytes;
    }

    private void copyImage(int i, float[] dst, int at) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("index " + i + " outside a dataset of " + labels.length);
        }
        int n = imageSize();
        if (floats != null) {
            System.arraycopy(floats, i * n, dst, at, n);
            return;
        }
        int from = i * n;
        for (int p = 0; p < n; p++) {
            dst[at + p] = (bytes[from + p] & 0xff) / 255f;
        }
    }

    /** All labels; the dataset's own array, do not modify. */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** The samples at {@code indices}, in that order (repeats allowed), same class count. */
    public Dataset select(int[] indices) {
        int n = imageSize();
        int[] l = new int[indices.length];
        byte[] b = bytes == null ? null : new byte[indices.length * n];
        float[] f = floats == null ? null : new float[indices.length * n];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("index " + i + " outside a dataset of " + labels.length);
            }
            if (b != null) {
                System.arraycopy(bytes, i * n, b, k * n, n);
            } else {
                System.arraycopy(floats, i * n, f, k * n, n);
            }
            l[k] = labels[i];
        }
        return new Dataset(b, f, l, channels, rows, cols, numClasses);
    }

    /** The samples of {@code a} followed by those of {@code b} (same image shape). */
    public static Dataset concat(Dataset a, Dataset b) {
        if (a.channels != b.channels || a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("cannot concatenate " + a + " and " + b + ": image shapes differ");
        }
        int[] labels = new int[a.size() + b.size()];
        System.arraycopy(a.labels, 0, labels, 0, a.size());
        System.arraycopy(b.labels, 0, labels, a.size(), b.size());
        int numClasses = Math.max(a.numClasses, b.numClasses);
        if (a.bytes != null && b.bytes != null) {
            byte[] pixels = Arrays.copyOf(a.bytes, a.bytes.length + b.bytes.length);
            System.arraycopy(b.bytes, 0, pixels, a.bytes.length, b.bytes.length);
            return new Dataset(pixels, null, labels, a.channels, a.rows, a.cols, numClasses);
        }
        float[] pa = a.pixels();
        float[] pixels = Arrays.copyOf(pa, pa.length + b.size() * b.imageSize());
        System.arraycopy(b.pixels(), 0, pixels, pa.length, b.size() * b.imageSize());
        return new Dataset(null, pixels, labels, a.channels, a.rows, a.cols, numClasses);
    }

    /** Indices of the samples labelled {@code c}, ascending. */
    public int[] indicesOfClass(int c) {
        int[] out = new int[labels.length];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Number of samples of each class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " images " + channels + "x" + rows + "x" + cols + ", " + numClasses + " classes]";
    }
}
