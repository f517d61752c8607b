package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworksTest {
    /**
     * The trained VGG's state dict before widths became a parameter: names in order and shapes.
     * Model directories and PyTorch exports depend on exactly these.
     */
    private static final Map<String, List<Long>> DEFAULT_VGG = vggShapes(1);

    /** sha256 of the safetensors bytes of Architecture.VGG.create(manager, 3), computed before the change. */
    private static final String DEFAULT_VGG_SEED_3 =
            "4143876c7c61507409682ad82fcf9ea6591c174c086431963255fbd552a8f202";

    @Test
    void defaultVggKeepsItsNamesShapesAndInitialWeights() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.VGG.create(m, 3)) {
            assertEquals(DEFAULT_VGG, shapes(net));
            assertEquals(DEFAULT_VGG_SEED_3, ModelFiles.sha256(ModelFiles.weightBytes(net)),
                    "the default VGG's random init changed: saved seeds no longer give the same network");
        }
    }

    @Test
    void widthOneIsTheDefaultVgg() {
        try (NDManager m = NDManager.newBaseManager(); Network plain = Architecture.VGG.create(m, 5);
             Network one = Networks.vgg(m, 5, 1)) {
            assertArrayEquals(ModelFiles.weightBytes(plain), ModelFiles.weightBytes(one));
        }
    }

    @Test
    void widerVggScalesEveryLayerAndStillClassifiesTenClasses() {
        try (NDManager m = NDManager.newBaseManager(); Network wide = Networks.vgg(m, 5, 2)) {
            assertEquals(vggShapes(2), shapes(wide));
            assertEquals(List.of(9, 288, 576, 1152, 1152, 1152, 256),
                    wide.layers().stream().map(LayerSpec::inputDim).toList());
            float[] px = new float[3 * 784];
            for (int i = 0; i < px.length; i++) {
                px[i] = (i % 29) / 28f;
            }
            NDArray logits = wide.logits(m.create(px, new Shape(3, 1, 28, 28)), false, LayerTap.NONE);
            assertEquals(new Shape(3, 10), logits.getShape());
        }
    }

    @Test
    void widthBelowOneIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> Networks.vgg(m, 5, 0));
        }
    }

    /** Written out layer by layer (not from Vgg's code), so a change there cannot hide here. */
    private static Map<String, List<Long>> vggShapes(long k) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        conv(out, "features.0", 1, 16 * k);
        batchNorm(out, "features.1", 16 * k);
        conv(out, "features.3", 16 * k, 32 * k);
        batchNorm(out, "features.4", 32 * k);
        conv(out, "features.7", 32 * k, 64 * k);
        batchNorm(out, "features.8", 64 * k);
        conv(out, "features.10", 64 * k, 64 * k);
        batchNorm(out, "features.11", 64 * k);
        conv(out, "features.14", 64 * k, 64 * k);
        batchNorm(out, "features.15", 64 * k);
        out.put("classifier.0.weight", List.of(128 * k, 576 * k));
        out.put("classifier.0.bias", List.of(128 * k));
        out.put("classifier.2.weight", List.of(10L, 128 * k));
        out.put("classifier.2.bias", List.of(10L));
        return out;
    }

    private static void conv(Map<String, List<Long>> out, String name, long in, long channels) {
        out.put(name + ".weight", List.of(channels, in, 3L, 3L));
        out.put(name + ".bias", List.of(channels));
    }

    private static void batchNorm(Map<String, List<Long>> out, String name, long channels) {
        out.put(name + ".weight", List.of(channels));
        out.put(name + ".bias", List.of(channels));
        out.put(name + ".running_mean", List.of(channels));
        out.put(name + ".running_var", List.of(channels));
        out.put(name + ".num_batches_tracked", List.of());
    }

    private static Map<String, List<Long>> shapes(Network net) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        net.state().forEach((name, a) -> {
            List<Long> dims = new ArrayList<>();
            for (long d : a.getShape().getShape()) {
                dims.add(d);
            }
            out.put(name, dims);
        });
        return out;
    }
}
