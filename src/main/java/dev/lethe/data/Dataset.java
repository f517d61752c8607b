package dev.lethe.data;

import java.util.Arrays;

/**
 * Labelled grey images: {@code size()} images of {@code rows x cols} pixels in one flat array,
 * image after image, each row-major.
 *
 * <p>The arrays are held, not copied (the training set alone is 188 MB of floats), and
 * {@link #pixels()} / {@link #labels()} hand out those same arrays: treat them as read-only.
 * Everything that builds a new dataset ({@link #select}) copies.
 */
public final class Dataset {
    private final float[] pixels;
    private final int[] labels;
    private final int rows;
    private final int cols;
    private final int numClasses;

    /** A dataset whose class count is its largest label + 1 (0 when empty). */
    public Dataset(float[] pixels, int[] labels, int rows, int cols) {
        this(pixels, labels, rows, cols, Arrays.stream(labels).max().orElse(-1) + 1);
    }

    /** A dataset of {@code numClasses} classes; every label must lie in [0, numClasses). */
    public Dataset(float[] pixels, int[] labels, int rows, int cols, int numClasses) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels of " + rows + "x" + cols
                    + " images need " + (long) labels.length * rows * cols + " pixels, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
    }

    public int size() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Pixels per image, {@code rows * cols}. */
    public int imageSize() {
        return rows * cols;
    }

    public int numClasses() {
        return numClasses;
    }

    /** All pixels, image after image; the dataset's own array, do not modify. */
    public float[] pixels() {
        return pixels;
    }

    /** All labels; the dataset's own array, do not modify. */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** A copy of image {@code i}, row-major. */
    public float[] image(int i) {
        int n = imageSize();
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    /** The samples at {@code indices}, in that order (repeats allowed), same class count. */
    public Dataset select(int[] indices) {
        int n = imageSize();
        float[] p = new float[indices.length * n];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("index " + i + " outside a dataset of " + labels.length);
            }
            System.arraycopy(pixels, i * n, p, k * n, n);
            l[k] = labels[i];
        }
        return new Dataset(p, l, rows, cols, numClasses);
    }

    /** The samples of {@code a} followed by those of {@code b} (same image size). */
    public static Dataset concat(Dataset a, Dataset b) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("cannot concatenate " + a + " and " + b + ": image sizes differ");
        }
        int[] labels = new int[a.size() + b.size()];
        System.arraycopy(a.labels, 0, labels, 0, a.size());
        System.arraycopy(b.labels, 0, labels, a.size(), b.size());
        float[] pixels = new float[a.pixels.length + b.pixels.length];
        System.arraycopy(a.pixels, 0, pixels, 0, a.pixels.length);
        System.arraycopy(b.pixels, 0, pixels, a.pixels.length, b.pixels.length);
        return new Dataset(pixels, labels, a.rows, a.cols, Math.max(a.numClasses, b.numClasses));
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
        return "Dataset[" + size() + " images " + rows + "x" + cols + ", " + numClasses + " classes]";
    }
}
