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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The capture is what the whole method rests on: for every conv layer, W_flat x im2col(input)
 * must reproduce the layer's own output.
 */
class Im2colTest {

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"VGG", "RESNET"})
    void flattenedWeightTimesPatchesEqualsConvOutputOnRealImages(Architecture arch) {
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 7)) {
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
            LayerSpec spec = new LayerSpec("probe", LayerSpec.Kind.CONV, 3, 5, 3, 2, 2, 2, false);
            NDArray w = m.randomNormal(new Shape(5, 3, 3, 3));
            NDArray expected = Conv2d.conv2d(x, w, null, new Shape(2, 2), new Shape(2, 2), new Shape(2, 2))
                    .singletonOrThrow();
            NDArray cols = Im2col.columns(spec, x);
            NDArray viaPatches = w.reshape(5, 27).matMul(cols).reshape(expected.getShape());
            assertTrue(viaPatches.sub(expected).abs().max().getFloat() < 1e-4f);
            assertEquals(new Shape(2, 27, expected.getShape().get(2) * expected.getShape().get(3)), cols.getShape());
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
