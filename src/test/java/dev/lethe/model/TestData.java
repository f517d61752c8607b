package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.IdxReader;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Real Fashion-MNIST images for model tests: skips when the dataset is not installed, fails
 * instead under LETHE_CI=1.
 */
final class TestData {
    static final Path DIR = Path.of(System.getenv().getOrDefault("LETHE_DATA", FashionMnist.DEFAULT_DIR));
    private static Dataset test;

    private TestData() { }

    static synchronized Dataset testSet() {
        Path images = DIR.resolve("t10k-images-idx3-ubyte.gz");
        requireDataset();
        if (test == null) {
            try {
                test = IdxReader.readDataset(images, DIR.resolve("t10k-labels-idx1-ubyte.gz"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return test;
    }

    static void requireDataset() {
        Prerequisites.fashionMnist();
    }

    static NDArray realImages(NDManager m, int n) {
        Dataset d = testSet();
        float[] px = new float[n * 784];
        System.arraycopy(d.pixels(), 0, px, 0, px.length);
        return m.create(px, new Shape(n, 1, 28, 28));
    }
}
