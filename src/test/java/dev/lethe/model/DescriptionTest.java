package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptionTest {

    @Test
    void shippedFilesAreWhatTheBuilderMakesAndReadBack() throws IOException {
        List<String> names = new ArrayList<>();
        for (Description built : Descriptions.shipped()) {
            Architecture shipped = Architecture.parse(built.name());
            assertEquals(built, shipped.description(), built.name());
            try (InputStream in = Architecture.class.getResourceAsStream("/architectures/" + built.name() + ".json")) {
                assertEquals(built.toJson(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        built.name() + ".json is not laid out as Description.toJson writes it");
            }
            assertEquals(built, Description.parse(built.toJson()));
            names.add(built.name());
        }
        assertEquals(List.of("mlp", "vgg", "resnet", "resnet18-cifar", "resnet18", "vgg11-bn", "vit"), names);
        assertEquals(names, Architecture.shipped().stream().map(Architecture::id).toList());
    }

    @Test
    void resnet18HasTorchvisionsParameterCountAndLayers() {
        // torchvision.models.resnet18(num_classes=10): sum(p.numel() for p in m.parameters())
        assertEquals(11_181_642L, Architecture.RESNET18.parameterCount());
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.RESNET18.create(m, 0)) {
            List<String> layers = net.layers().stream().map(LayerSpec::name).toList();
            assertEquals(21, layers.size(), "20 convolutions and fc");
            assertEquals("conv1", layers.get(0));
            assertTrue(layers.contains("layer3.0.downsample.0"));
            assertEquals("fc", net.head().name());
        }
    }

    @Test
    void vitEditsEveryLinearIncludingTheAttentionProjections() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.VIT.create(m, 0)) {
            List<LayerSpec> layers = net.layers();
            assertEquals(2 + 6 * 4, layers.size(), "conv_proj, four Linears per block, heads.head");
            LayerSpec in = net.layer("encoder.layers.encoder_layer_2.self_attention.in_proj");
            assertEquals("encoder.layers.encoder_layer_2.self_attention.in_proj_weight", in.weight());
            assertEquals("encoder.layers.encoder_layer_2.self_attention.in_proj_bias", in.biasName());
            assertEquals(96, in.inputDim());
            assertEquals(288, in.out());
            assertEquals(in, net.layerOfWeight(in.weight()));
            assertEquals("encoder.layers.encoder_layer_2.self_attention.out_proj.bias",
                    net.layer("encoder.layers.encoder_layer_2.self_attention.out_proj").biasName());
            assertEquals("heads.head", net.head().name());
            assertEquals(new Shape(1, 65, 96), net.get("encoder.pos_embedding").getShape());
            assertEquals(new Shape(1, 1, 96), net.get("class_token").getShape());
        }
    }

    @Test
    void greyAndSmallerImagesArePaddedAndReplicatedLikeAnExplicitTensor() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.VIT.create(m, 4)) {
            NDArray grey = TestData.realImages(m, 3); // (3, 1, 28, 28)
            NDArray padded = m.zeros(new Shape(3, 3, 32, 32));
            for (int c = 0; c < 3; c++) {
                padded.set(new ai.djl.ndarray.index.NDIndex(":, " + c + ", 2:30, 2:30"), grey.squeeze(1));
            }
            float[] viaFit = net.logits(grey, false, LayerTap.NONE).toFloatArray();
            float[] explicit = net.logits(padded, false, LayerTap.NONE).toFloatArray();
            for (int i = 0; i < viaFit.length; i++) {
                assertEquals(explicit[i], viaFit[i], 1e-6f);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.logits(m.zeros(new Shape(2, 3, 40, 40)), false, LayerTap.NONE));
            assertTrue(e.getMessage().contains("vit takes (N, 3, 32, 32) pixels"), e.getMessage());
        }
    }

    @Test
    void aModuleThatDoesNotFitItsInputIsNamed() {
        String json = zoo("\"in_channels\": 8, \"out_channels\": 16", "\"in_channels\": 12, \"out_channels\": 16");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.of(Description.parse(json)));
        assertEquals("zoo: features.4: Conv2d with in_channels=12 does not fit its input (8, 16, 16) per sample",
                e.getMessage());
    }

    @Test
    void aMisspeltOrMissingArgumentIsRefusedNotDefaulted() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> Description.parse(zoo("\"padding\": 2, \"dilation\": 2", "\"padding\": 2, \"dilaton\": 2")));
        assertTrue(typo.getMessage().contains("dilaton"), typo.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Description.parse(zoo("\"in_features\": 288, ", "")));
        assertTrue(missing.getMessage().contains("in_features"), missing.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> Description.parse(zoo("\"type\": \"GELU\"", "\"type\": \"SiLU\"")));
        assertTrue(kind.getMessage().contains("SiLU"), kind.getMessage());
    }

    @Test
    void theLogitsMustBeOnePerClass() {
        String json = zoo("\"classes\": 10", "\"classes\": 12");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.of(Description.parse(json)));
        assertEquals("zoo: the modules end in (10) per sample, expected the 12 logits of its classes", e.getMessage());
    }

    @Test
    void editedLayersDefaultToEveryUngroupedConvAndLinearAndCanBeChosen() {
        Description zoo = Description.parse(zoo("", ""));
        Architecture all = Architecture.of(zoo);
        try (NDManager m = NDManager.newBaseManager(); Network net = all.create(m, 0)) {
            assertEquals(List.of("features.0", "features.8.conv1", "features.8.conv3",
                    "features.8.downsample.0", "attn.in_proj", "attn.out_proj", "head.0", "head.3"),
                    net.layers().stream().map(LayerSpec::name).toList(),
                    "the grouped features.4 and the grouped Bottleneck conv2 are left alone");
        }
        Architecture some = Architecture.of(zoo.withEdit(List.of("head.3", "attn.in_proj")));
        try (NDManager m = NDManager.newBaseManager(); Network net = some.create(m, 0)) {
            assertEquals(List.of("attn.in_proj", "head.3"), net.layers().stream().map(LayerSpec::name).toList());
            List<String> tapped = new ArrayList<>();
            net.logits(m.zeros(new Shape(2, 3, 32, 32)), false, (layer, input) -> tapped.add(layer.name()));
            assertEquals(List.of("attn.in_proj", "head.3"), tapped);
        }
        IllegalArgumentException grouped = assertThrows(IllegalArgumentException.class,
                () -> Architecture.of(zoo.withEdit(List.of("features.4"))));
        assertTrue(grouped.getMessage().contains("features.4 is a grouped Conv2d"), grouped.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Architecture.of(zoo.withEdit(List.of("head.1"))));
        assertTrue(unknown.getMessage().startsWith("zoo: edit: no Conv2d or Linear named head.1 (there are: features.0,"),
                unknown.getMessage());
        Architecture noHead = Architecture.of(zoo.withEdit(List.of("head.0")));
        try (NDManager m = NDManager.newBaseManager(); Network net = noHead.create(m, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, net::head);
            assertTrue(e.getMessage().contains("logits layer head.3 is not edited"), e.getMessage());
        }
    }

    @Test
    void aShippedNameMeansTheShippedNetwork() {
        Description changed = Descriptions.vgg(2).withName("vgg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.of(changed));
        assertTrue(e.getMessage().contains("differs from the shipped vgg"), e.getMessage());
        assertSame(Architecture.VGG, Architecture.of(Descriptions.vgg(1)));
        assertSame(Architecture.VIT, Architecture.parse(" ViT "));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("resnet50"));
        assertTrue(unknown.getMessage().contains("mlp, vgg, resnet, resnet18-cifar, resnet18, vgg11-bn, vit"),
                unknown.getMessage());
    }

    @Test
    void aWeightsFileIsCheckedNameByNameAndShapeByShape() {
        Map<String, long[]> state = Architecture.MLP.stateShapes();
        assertEquals(List.of(), StateCheck.mismatches(Architecture.MLP, state));

        Map<String, long[]> wrong = new java.util.LinkedHashMap<>(state);
        wrong.put("fc2.weight", new long[] {128, 300});
        wrong.remove("fc1.bias");
        wrong.put("fc4.weight", new long[] {10, 10});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateCheck.require(Architecture.MLP, wrong));
        assertEquals("the weights do not fit mlp: missing tensor fc1.bias (expected shape (256)) "
                + "(and 2 more mismatches)", e.getMessage());
        assertEquals(List.of("missing tensor fc1.bias (expected shape (256))",
                "wrong shape for fc2.weight: expected (128, 256), found (128, 300)",
                "unexpected tensor fc4.weight (shape (10, 10)): mlp has no such tensor"),
                StateCheck.mismatches(Architecture.MLP, wrong));

        Map<String, long[]> prefixed = new java.util.LinkedHashMap<>();
        state.forEach((name, shape) -> prefixed.put("module." + name, shape));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> StateCheck.require(Architecture.MLP, prefixed));
        assertTrue(p.getMessage().contains("every name may carry the prefix 'module.'"), p.getMessage());
    }

    /** The test-only zoo description (every module kind the shipped ones leave out), edited. */
    private static String zoo(String from, String to) {
        try (InputStream in = DescriptionTest.class.getResourceAsStream("/architectures/zoo.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!from.isEmpty()) {
                assertTrue(text.contains(from), "zoo.json has no " + from);
            }
            return from.isEmpty() ? text : text.replaceFirst(java.util.regex.Pattern.quote(from),
                    java.util.regex.Matcher.quoteReplacement(to));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
