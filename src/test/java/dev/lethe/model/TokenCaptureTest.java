package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Linear applied to tokens (N, T, D) gives the method one input column per token. */
class TokenCaptureTest {
    private static final Descriptions.VitSize SMALL = new Descriptions.VitSize(32, 8, 32, 2, 2, 64);
    private static final String IN_PROJ = "encoder.layers.encoder_layer_1.self_attention.in_proj";
    private static final String MLP_OUT = "encoder.layers.encoder_layer_0.mlp.3";

    @Test
    void allTokensGiveTheGramOfEveryTokenInput() {
        try (NDManager m = NDManager.newBaseManager(); Network net = small().create(m, 3)) {
            NDArray images = TestData.realImages(m, 3);
            float[][] seen = new float[2][];
            long[][] shapes = new long[2][];
            Map<String, LayerGram> grams;
            try (GramCapture capture = new GramCapture(m, GramCapture.ALL_POSITIONS, 1)) {
                capture.beginBatch(3);
                net.logits(images, false, (layer, input) -> {
                    capture.onInput(layer, input);
                    int which = layer.name().equals(IN_PROJ) ? 0 : layer.name().equals(MLP_OUT) ? 1 : -1;
                    if (which >= 0) {
                        seen[which] = input.toFloatArray();
                        shapes[which] = input.getShape().getShape().clone();
                    }
                });
                grams = capture.result();
            }
            assertArrayEquals(new long[] {3, 17, 32}, shapes[0], "16 patches and the class token, 32 wide");
            assertArrayEquals(new long[] {3, 17, 64}, shapes[1]);
            checkByHand(grams.get(IN_PROJ), seen[0], 3 * 17, 32);
            checkByHand(grams.get(MLP_OUT), seen[1], 3 * 17, 64);
            assertEquals("encoder.layers.encoder_layer_1.self_attention.in_proj_weight", grams.get(IN_PROJ).weight());
            assertEquals(3, grams.get("heads.head").columns(), "the head sees one (class) token per image");
        }
    }

    /** G = sum over rows r of r r^T and the column sum, in plain loops over the captured input. */
    private static void checkByHand(LayerGram g, float[] rows, int n, int d) {
        assertEquals(n, g.columns());
        assertEquals(d, g.dim());
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
                sum += rows[r * d + i];
            }
            assertEquals(sum, g.columnSum()[i], 1e-9 * (1 + Math.abs(sum)));
            for (int j = 0; j < d; j++) {
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += (double) rows[r * d + i] * rows[r * d + j];
                }
                assertEquals(dot, g.values()[i * d + j], 1e-9 * (1 + Math.abs(dot)), g.layer() + " " + i + "," + j);
            }
        }
    }

    @Test
    void sampledTokensDoNotDependOnBatchingAndFollowTheSeed() {
        try (NDManager m = NDManager.newBaseManager(); Network net = small().create(m, 3)) {
            NDArray images = TestData.realImages(m, 6);
            Map<String, LayerGram> one = capture(net, m, images, 6, 7);
            Map<String, LayerGram> three = capture(net, m, images, 2, 7);
            Map<String, LayerGram> other = capture(net, m, images, 6, 8);
            LayerGram a = one.get(IN_PROJ);
            assertEquals(6 * 5, a.columns(), "5 of the 17 tokens of each image");
            assertEquals(a.columns(), three.get(IN_PROJ).columns());
            for (int i = 0; i < a.values().length; i++) {
                assertEquals(a.values()[i], three.get(IN_PROJ).values()[i], 1e-6 * (1 + Math.abs(a.values()[i])));
            }
            assertFalse(Arrays.equals(a.values(), other.get(IN_PROJ).values()), "another seed draws other tokens");
            assertArrayEquals(one.get("heads.head").values(), other.get("heads.head").values(),
                    "one token per image: nothing to draw");
            LayerGram all = capture(net, m, images, 6, GramCapture.ALL_POSITIONS).get(IN_PROJ);
            assertTrue(trace(a) < trace(all), "the drawn tokens are a subset of all tokens");
        }
    }

    private static Map<String, LayerGram> capture(Network net, NDManager m, NDArray images, int batch, long seed) {
        int positions = seed == GramCapture.ALL_POSITIONS ? GramCapture.ALL_POSITIONS : 5;
        try (GramCapture capture = new GramCapture(m, positions, seed)) {
            for (int from = 0; from < images.getShape().get(0); from += batch) {
                capture.beginBatch(batch);
                net.logits(images.get(from + ":" + (from + batch)), false, capture);
            }
            return capture.result();
        }
    }

    private static double trace(LayerGram g) {
        double t = 0;
        for (int i = 0; i < g.dim(); i++) {
            t += g.values()[i * g.dim() + i];
        }
        return t;
    }

    static Architecture small() {
        return Architecture.of(Descriptions.vit("vit-small", SMALL));
    }
}
