package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The capture is what the whole method rests on: for every conv layer, W_flat x im2col(input)
 * must reproduce the layer's own output.
 */
class Im2colTest {

    @ParameterizedTest
    @ValueSource(strings = {"vgg", "resnet", "resnet18-cifar", "resnet18", "vgg11-bn", "vit"})
    void flattenedWeightTimesPatchesEqualsConvOutputOnRealImages(String arch) {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.parse(arch).create(m, 7)) {
            NDArray images = TestData.realImages(m, 6);
            List<double[]> worst = new ArrayList<>();
            net.logits(images, false, (layer, input) -> {
                if (layer.kind() == LayerSpec.Kind.CONV) {
                    worst.add(new double[] {maxRelativeError(net, layer, input)});
                }
            });
            long convs = net.layers().stream().filter(l -> l.kind() == LayerSpec.Kind.CONV).count();
            assertEquals(convs, worst.size(), "every conv layer was tapped");
            for (double[] w : worst) {
                assertTrue(w[0] < 1e-4, "relative error " + w[0]);
            }
        }
    }

    @Test
    void honoursStridePaddingAndDilation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 11, 9));
            LayerSpec spec = LayerSpec.conv("probe", 3, 5, 3, 2, 2, 2, false);
            NDArray w = m.randomNormal(new Shape(5, 3, 3, 3));
            NDArray expected = Conv2d.conv2d(x, w, null, new Shape(2, 2), new Shape(2, 2), new Shape(2, 2))
                    .singletonOrThrow();
            NDArray cols = Im2col.columns(spec, x);
            NDArray viaPatches = w.reshape(5, 27).matMul(cols).reshape(expected.getShape());
            assertTrue(viaPatches.sub(expected).abs().max().getFloat() < 1e-4f);
            assertEquals(new Shape(2, 27, expected.getShape().get(2) * expected.getShape().get(3)), cols.getShape());
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"3,2,2,2", "3,1,1,1", "1,2,0,1", "5,1,2,1"})
    void sampledRowsArePickedColumnsValueForValue(int kernel, int stride, int padding, int dilation) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(3, 4, 12, 9));
            LayerSpec spec = LayerSpec.conv("probe", 4, 6, kernel, stride, padding, dilation, false);
            NDArray cols = Im2col.columns(spec, x); // (N, D, L)
            int l = Math.toIntExact(cols.getShape().get(2));
            int d = spec.inputDim();
            java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
            int[][] positions = new int[3][5];
            for (int[] row : positions) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = rng.nextInt(l); // corners and edges included often enough at these sizes
                }
            }
            positions[0][0] = 0;
            positions[1][0] = l - 1;
            float[] all = cols.toFloatArray();
            float[] rows = Im2col.sampledRows(spec, x, positions).toFloatArray();
            assertEquals(3 * 5 * d, rows.length);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    for (int r = 0; r < d; r++) {
                        float expected = all[(i * d + r) * l + positions[i][j]];
                        assertEquals(expected, rows[(i * 5 + j) * d + r], 0f,
                                "sample " + i + ", position " + positions[i][j] + ", row " + r);
                    }
                }
            }
        }
    }

    private static double maxRelativeError(Network net, LayerSpec layer, NDArray input) {
        NDArray w = net.get(layer.weight()).reshape(layer.out(), layer.inputDim());
        NDArray cols = Im2col.columns(layer, input);
        NDArray viaPatches = w.matMul(cols);
        NDArray direct = Conv2d.conv2d(input, net.get(layer.weight()), null,
                new Shape(layer.stride(), layer.stride()), new Shape(layer.padding(), layer.padding()),
                new Shape(layer.dilation(), layer.dilation())).singletonOrThrow();
        Shape s = direct.getShape();
        NDArray flat = direct.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        float scale = Math.max(1e-6f, flat.abs().max().getFloat());
        return viaPatches.sub(flat).abs().max().getFloat() / scale;
    }
}
