package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.data.FashionMnist;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lethe import} checks a state dict tensor by tensor and names the first mismatch. */
class ImportCommandTest {
    private static final Path ZOO = Path.of("src", "test", "resources", "architectures", "zoo.json");

    @Test
    void aWrongShapeIsRefusedNamingTheTensorAndBothShapes(@TempDir Path tmp) throws IOException {
        Path weights = tmp.resolve("mlp.safetensors");
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 1)) {
            NDList list = net.toNDList();
            NDList changed = new NDList();
            for (NDArray a : list) {
                NDArray b = a.getName().equals("fc2.weight") ? m.zeros(new Shape(128, 300)) : a;
                b.setName(a.getName());
                changed.add(b);
            }
            write(weights, changed);
        }
        Run r = lethe("import", "--arch", "mlp", "--weights", weights.toString(), "--out", tmp.resolve("out").toString(),
                "--no-tune");
        assertEquals(2, r.code, r.err);
        assertEquals("lethe: " + weights + ": the weights do not fit mlp: wrong shape for fc2.weight: expected "
                + "(128, 256), found (128, 300)", r.err.strip());
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aMissingTensorIsNamedWithItsExpectedShape(@TempDir Path tmp) throws IOException {
        Path weights = tmp.resolve("resnet.safetensors");
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.RESNET.create(m, 1)) {
            NDList kept = new NDList();
            net.toNDList().forEach(a -> {
                if (!a.getName().startsWith("layer3.0.downsample.1.")) {
                    kept.add(a);
                }
            });
            write(weights, kept);
        }
        Run r = lethe("import", "--arch", "resnet", "--weights", weights.toString(), "--out",
                tmp.resolve("out").toString(), "--no-tune");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("missing tensor layer3.0.downsample.1.weight (expected shape (64)) "
                + "(and 4 more mismatches)"), r.err);
    }

    @Test
    void aUsersOwnDescriptionTravelsInTheModelDirectory(@TempDir Path tmp) throws IOException {
        Prerequisites.fashionMnist();
        Architecture zoo = Architecture.fromFile(ZOO);
        Path weights = tmp.resolve("zoo.safetensors");
        byte[] original;
        try (NDManager m = NDManager.newBaseManager(); Network net = zoo.create(m, 3)) {
            original = ModelFiles.weightBytes(net);
        }
        Files.write(weights, original);
        Path dir = tmp.resolve("zoo-model");
        Run r = lethe("import", "--spec", ZOO.toString(), "--weights", weights.toString(), "--out", dir.toString(),
                "--no-tune");
        assertEquals(0, r.code, r.err);
        Manifest manifest = ModelFiles.readManifest(dir);
        assertEquals("zoo", manifest.architecture());
        assertNotNull(manifest.architectureSpec(), "a description Lethe does not ship is kept in the manifest");
        Files.delete(weights);
        try (NDManager m = NDManager.newBaseManager(); ModelFiles.Loaded loaded = ModelFiles.read(dir, m)) {
            assertEquals(zoo, loaded.network().architecture());
            assertArrayEquals(original, ModelFiles.weightBytes(loaded.network()));
        }
        Path exported = tmp.resolve("exported.safetensors");
        assertEquals(0, lethe("export", "--model", dir.toString(), "--out", exported.toString()).code);
        assertArrayEquals(original, Files.readAllBytes(exported));
    }

    @Test
    void aShippedArchitectureIsRecordedByNameOnly() {
        Manifest m = Manifest.of(Architecture.VIT, FashionMnist.LABELS, null, null, "test");
        assertEquals("vit", m.architecture());
        assertEquals(null, m.architectureSpec());
        assertEquals(Architecture.VIT, Architecture.of(m));
    }

    @Test
    void anArchitectureIsRequired(@TempDir Path tmp) {
        Run r = lethe("import", "--weights", tmp.resolve("w").toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("Missing required argument") && r.err.contains("--arch=NAME | --spec=FILE"), r.err);
    }

    private static void write(Path file, NDList list) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    private record Run(int code, String err) { }

    private static Run lethe(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int code;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            code = Main.run(args);
        } finally {
            System.setErr(stderr);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8));
    }
}
