package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GramCaptureTest {

    @Test
    void allPositionsGiveTheGramOfTheUnfoldedInputs() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.VGG.create(m, 2)) {
            NDArray images = TestData.realImages(m, 3);
            LayerSpec probe = net.layer("features.3");
            NDArray[] seen = new NDArray[1];
            Map<String, LayerGram> grams;
            try (GramCapture capture = new GramCapture(m, GramCapture.ALL_POSITIONS, 1)) {
                capture.beginBatch(3);
                net.logits(images, false, (layer, input) -> {
                    capture.onInput(layer, input);
                    if (layer.equals(probe)) {
                        seen[0] = input.duplicate();
                    }
                });
                grams = capture.result();
            }
            NDArray cols = Im2col.columns(probe, seen[0]).toType(DataType.FLOAT64, false); // (3, 144, 784)
            NDArray r = cols.transpose(1, 0, 2).reshape(probe.inputDim(), -1);
            double[] expected = r.matMul(r.transpose()).toDoubleArray();
            LayerGram g = grams.get("features.3");
            assertEquals(3L * 28 * 28, g.columns());
            assertEquals(144, g.dim());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], g.values()[i], 1e-9 * Math.abs(expected[i]) + 1e-9);
            }
            assertEquals(net.layers().size(), grams.size(), "one Gram per Conv2d/Linear layer");
        }
    }

    @Test
    void sampledPositionsDoNotDependOnHowSamplesAreBatched() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.RESNET.create(m, 2)) {
            NDArray images = TestData.realImages(m, 6);
            Map<String, LayerGram> oneBatch = capture(net, m, images, 6);
            Map<String, LayerGram> threeBatches = capture(net, m, images, 2);
            for (String layer : oneBatch.keySet()) {
                double[] a = oneBatch.get(layer).values();
                double[] b = threeBatches.get(layer).values();
                assertEquals(oneBatch.get(layer).columns(), threeBatches.get(layer).columns());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6 * (Math.abs(a[i]) + 1), layer);
                }
            }
            // 5 positions of every image at the stem: 6 images x 5 columns.
            assertEquals(30, oneBatch.get("conv1").columns());
            // A different seed draws different patches.
            Map<String, LayerGram> otherSeed = captureWithSeed(net, m, images, 6, 99);
            assertTrue(!java.util.Arrays.equals(oneBatch.get("conv1").values(), otherSeed.get("conv1").values()));
            assertArrayEquals(oneBatch.get("fc").values(), otherSeed.get("fc").values(), "linear layers are not sampled");
        }
    }

    private static Map<String, LayerGram> capture(Network net, NDManager m, NDArray images, int batch) {
        return captureWithSeed(net, m, images, batch, 7);
    }

    private static Map<String, LayerGram> captureWithSeed(Network net, NDManager m, NDArray images, int batch,
                                                          long seed) {
        try (GramCapture capture = new GramCapture(m, 5, seed)) {
            for (int from = 0; from < images.getShape().get(0); from += batch) {
                capture.beginBatch(batch);
                net.logits(images.get(from + ":" + (from + batch)), false, capture);
            }
            return capture.result();
        }
    }
}
