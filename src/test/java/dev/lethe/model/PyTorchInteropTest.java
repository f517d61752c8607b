package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped description computes what PyTorch computes: the same state dict, from PyTorch's
 * own modules (torchvision's resnet18, vgg11_bn and VisionTransformer among them) with random
 * weights and BatchNorm statistics, gives the same eval-mode logits within 1e-4. So does
 * {@code zoo}, a user-style description (src/test/resources/architectures) of every module kind
 * and argument the shipped ones leave out. The fixtures
 * (about 130 MB, torchvision's ResNet-18 alone 45 MB) are made by src/test/python/interop.py
 * into target/interop when missing, never committed.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PyTorchInteropTest {
    private static final Path FIXTURES = Path.of("target", "interop");
    private static final double TOLERANCE = 1e-4;

    @BeforeAll
    static void fixtures() throws IOException, InterruptedException {
        boolean complete = architectures().allMatch(a -> Files.exists(io(a.id())));
        if (!complete) {
            TorchScripts.requireTorch();
            System.out.print(TorchScripts.run("interop.py", 300, FIXTURES.toString()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void logitsMatchPyTorchsOwnModules(Architecture arch) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 0)) {
            ModelFiles.loadSafetensors(net, Files.readAllBytes(FIXTURES.resolve(arch.id() + ".safetensors")));
            NDList io = NDList.decode(m, Files.readAllBytes(io(arch.id())));
            NDArray input = io.get("input");
            float[] expected = io.get("logits").toFloatArray();
            float[] logits = net.logits(input, false, LayerTap.NONE).toFloatArray();
            assertEquals(expected.length, logits.length);
            double worst = 0;
            double spread = 0;
            for (int i = 0; i < logits.length; i++) {
                worst = Math.max(worst, Math.abs(logits[i] - expected[i]));
                spread = Math.max(spread, Math.abs(expected[i] - expected[0]));
            }
            System.out.printf("%s: max |logit difference| to PyTorch %.1e%n", arch.id(), worst);
            assertTrue(worst <= TOLERANCE, arch.id() + ": max |logit difference| " + worst);
            assertTrue(spread > 0.1, arch.id() + ": the fixture's logits barely differ; they prove nothing");
        }
    }

    static Stream<Architecture> architectures() throws IOException {
        return Stream.concat(Architecture.shipped().stream(), Stream.of(zoo()));
    }

    static Architecture zoo() throws IOException {
        return Architecture.fromFile(Path.of("src", "test", "resources", "architectures", "zoo.json"));
    }

    private static Path io(String name) {
        return FIXTURES.resolve(name + ".io.safetensors");
    }
}
