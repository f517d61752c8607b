package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/architectures.md's table of shipped architectures is computed from the descriptions,
 * never typed: this test builds it and finds it in the document (on a mismatch it prints the
 * table to paste).
 */
class ArchitecturesDocTest {
    private static final Path DOC = Path.of("docs", "architectures.md");
    private static final Map<String, String> PYTORCH = Map.of(
            "mlp", "`Mlp` (3 Linear)",
            "vgg", "`Vgg` (5 Conv-BN-ReLU)",
            "resnet", "`SmallResNet`, torchvision `BasicBlock`s",
            "resnet18-cifar", "torchvision `resnet18(num_classes=10)`, 3x3 `conv1`, `maxpool = Identity()`",
            "resnet18", "torchvision `resnet18(num_classes=10)`",
            "vgg11-bn", "torchvision `vgg11_bn(num_classes=10)` features, `AdaptiveAvgPool2d(1)`, 512-512-10 head",
            "vit", "torchvision `VisionTransformer(32, 4, 6, 4, 96, 192, num_classes=10)`");

    @Test
    void theShippedTableIsTheComputedOne() throws IOException {
        String table = table();
        String doc = Files.readString(DOC);
        assertTrue(doc.contains(table), "docs/architectures.md should contain this table:\n" + table);
    }

    static String table() {
        StringBuilder out = new StringBuilder();
        out.append("| name | input | PyTorch equivalent | parameters | tensors | edited layers | widest edited input | "
                + "default epochs |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        try (NDManager m = NDManager.newBaseManager()) {
            for (Architecture a : Architecture.shipped()) {
                try (Network net = a.create(m, 0)) {
                    Description.Input in = a.description().input();
                    int widest = net.layers().stream().mapToInt(LayerSpec::inputDim).max().orElseThrow();
                    out.append(String.format(Locale.ROOT, "| `%s` | %dx%dx%d | %s | %,d | %d | %d | %,d | %d |%n",
                            a.id(), in.channels(), in.height(), in.width(), PYTORCH.get(a.id()), a.parameterCount(),
                            a.stateShapes().size(), net.layers().size(), widest, a.defaultEpochs()));
                }
            }
        }
        return out.toString();
    }
}
