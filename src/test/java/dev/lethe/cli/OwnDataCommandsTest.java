package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.app.BaseModel;
import dev.lethe.data.DataSpec;
import dev.lethe.data.Dataset;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageFolder;
import dev.lethe.data.Splits;
import dev.lethe.events.ModelRegistration;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model on data of its own, from the command line: train and import read the data spec and
 * check it against the network, the model directory keeps it, forget and evaluate use it
 * without being told, and the registration carries it to the processor.
 */
class OwnDataCommandsTest {
    /** Three Fashion-MNIST classes under names of their own: a dataset that is not Fashion-MNIST's ten. */
    private static final int[] CLASSES = {1, 7, 8};
    private static final List<String> LABELS = List.of("trousers", "sneaker", "bag");
    private static final String TINY = """
            {"format": "lethe-architecture/1", "name": "tiny3",
             "input": {"channels": 1, "height": 28, "width": 28, "mean": [0.5], "std": [0.5]},
             "classes": 3,
             "modules": [
               {"type": "Flatten", "name": "flatten"},
               {"type": "Linear", "name": "fc1", "in_features": 784, "out_features": 32},
               {"type": "ReLU", "name": "relu"},
               {"type": "Linear", "name": "fc2", "in_features": 32, "out_features": 3}]}
            """;

    @TempDir static Path tmp;
    private static Path spec;
    private static Path arch;

    @BeforeAll
    static void writeTheData() throws Exception {
        Splits fashion = FashionMnist.load(Prerequisites.fashionMnist());
        DataSpec folder = ImageFolder.write(new Datasets.Loaded(firstOf(fashion.train(), 120),
                firstOf(fashion.test(), 40), LABELS), tmp.resolve("folder"), 20);
        spec = tmp.resolve("folder").resolve(ImageFolder.SPEC_FILE);
        assertEquals(folder, DataSpec.read(spec));
        arch = tmp.resolve("tiny3.json");
        Files.writeString(arch, TINY);
    }

    @Test
    void trainKeepsTheDataForgetUsesItAndTheRegistrationCarriesIt() throws Exception {
        Path model = tmp.resolve("tiny");
        Run train = lethe("train", "--spec", arch.toString(), "--data-spec", spec.toString(), "--epochs", "3",
                "--no-tune", "--out", model.toString());
        assertEquals(0, train.code, train.err);
        assertTrue(train.err.contains("image-folder data in "), train.err);
        Manifest manifest = ModelFiles.readManifest(model);
        assertEquals(LABELS, manifest.labels(), "labels come from the data, not Fashion-MNIST");
        assertEquals(DataSpec.read(spec), ModelFiles.readData(model).orElseThrow(), "the directory keeps its data");

        Path forgot = tmp.resolve("tiny-no-bag");
        Run forget = lethe("forget", "--model", model.toString(), "--class", "bag", "--out", forgot.toString(), "--json");
        assertEquals(0, forget.code, forget.err);
        JsonNode report = ModelFiles.JSON.readTree(forget.out);
        assertEquals(3, report.get("before").get("per_class").size(), "measured on the model's 3 classes: " + report);
        assertEquals(List.of(2), List.of(report.get("forgotten").get(0).asInt()));
        assertEquals(DataSpec.read(spec), ModelFiles.readData(forgot).orElseThrow(), "a forgotten model keeps its data");

        ModelRegistration reg = BaseModel.register("tiny", model, new DirectoryArtifactStore(tmp.resolve("store")),
                Path.of(FashionMnist.DEFAULT_DIR));
        assertEquals(DataSpec.read(spec), DataSpec.parse(reg.getData()));
        assertEquals(Datasets.fingerprint(DataSpec.read(spec)), reg.getSampleBankSha256(),
                "the lineage names the samples the model's statistics come from");
        assertTrue(reg.getArchitecture().startsWith("{"), "a description Lethe does not ship travels whole");
    }

    @Test
    void dataThatDisagreesWithTheNetworkIsRefusedBeforeTraining() {
        Path out = tmp.resolve("mlp-on-three");
        Run r = lethe("train", "--arch", "mlp", "--data-spec", spec.toString(), "--out", out.toString());
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("the data spec names 3 classes, the model's head has 10"), r.err);
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void aTenClassNetworkOnNoDataSpecStillMeansFashionMnist() throws Exception {
        Path out = tmp.resolve("tiny-on-fashion");
        Run r = lethe("train", "--spec", arch.toString(), "--out", out.toString(), "--no-tune");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("tiny3 has 3 classes and Fashion-MNIST has 10: give the model's own data with "
                + "--data-spec"), r.err);
    }

    /** The first {@code n} images of each of {@link #CLASSES}, relabelled 0, 1, 2. */
    private static Dataset firstOf(Dataset d, int n) {
        List<Integer> rows = new ArrayList<>();
        int[] labels = new int[CLASSES.length * n];
        for (int k = 0; k < CLASSES.length; k++) {
            int[] of = d.indicesOfClass(CLASSES[k]);
            for (int i = 0; i < n; i++) {
                labels[rows.size()] = k;
                rows.add(of[i]);
            }
        }
        Dataset picked = d.select(rows.stream().mapToInt(Integer::intValue).toArray());
        return Dataset.ofBytes(bytes(picked), labels, 1, 28, 28, CLASSES.length);
    }

    private static byte[] bytes(Dataset d) {
        byte[] out = new byte[d.size() * d.imageSize()];
        for (int i = 0; i < d.size(); i++) {
            System.arraycopy(d.imageBytes(i), 0, out, i * d.imageSize(), d.imageSize());
        }
        return out;
    }

    private record Run(int code, String out, String err) { }

    private static Run lethe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.run(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
