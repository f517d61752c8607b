package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model zoo's VGG, as shipped in the jar: intact, described by docs/zoo.md, as accurate on the
 * real Fashion-MNIST test split as its manifest says, and tuned well enough that forgetting Shirt
 * with its own alphas works. Weights are bit-exact only on the CPU and kernels that trained them,
 * so accuracy is compared within {@link #TOLERANCE}, not exactly.
 */
class ZooTest {
    private static final double TOLERANCE = 0.002;
    private static final int SHIRT = 6;

    @Test
    void theShippedVggIsIntactAndDocumented() throws Exception {
        Manifest m = Zoo.manifest("vgg").orElseThrow();
        byte[] weights = Zoo.weights("vgg").orElseThrow();
        assertEquals(m.sha256(), ModelFiles.sha256(weights));
        assertEquals("vgg", m.architecture());
        assertEquals(FashionMnist.LABELS, m.labels());
        assertNotNull(m.alphas(), "tuned: alphas in the manifest");
        assertTrue(m.alphas().containsKey(String.valueOf(SHIRT)) && m.alphas().containsKey("default"), m.alphas().toString());

        String doc = Files.readString(Path.of("docs", "zoo.md"));
        assertTrue(doc.contains(m.sha256()), "docs/zoo.md names the shipped sha256 " + m.sha256());
        String accuracy = String.format(Locale.ROOT, "%.2f%%", m.testAccuracy().overall() * 100);
        assertTrue(doc.contains(accuracy), "docs/zoo.md gives the test accuracy " + accuracy);
    }

    @Test
    void noEntryMeansNothingInstalled(@TempDir Path tmp) throws Exception {
        assertTrue(Zoo.manifest("mlp").isEmpty());
        assertTrue(Zoo.manifest("../zoo/vgg").isEmpty(), "a path is never an entry");
        assertFalse(Zoo.install("mlp", tmp.resolve("mlp")));
        assertFalse(Files.exists(tmp.resolve("mlp")));
    }

    @Test
    void itClassifiesAndForgetsOnRealTestData(@TempDir Path tmp) throws Exception {
        Splits splits = FashionMnist.load(Prerequisites.fashionMnist());
        assertTrue(Zoo.install("vgg", tmp.resolve("vgg")));
        try (NDManager manager = NDManager.newBaseManager();
             ModelFiles.Loaded loaded = ModelFiles.read(tmp.resolve("vgg"), manager)) {
            Manifest m = loaded.manifest();
            ClassAccuracy before = Evaluation.accuracy(loaded.network(), splits.test());
            assertEquals(m.testAccuracy().overall(), before.overall(), TOLERANCE,
                    "test accuracy as documented; per class " + Arrays.toString(before.perClass()));

            ForgetJob.run(loaded.network(), m, splits, Set.of(SHIRT), null, Sampling.DEFAULT, null);
            ClassAccuracy after = Evaluation.accuracy(loaded.network(), splits.test());
            Set<Integer> gone = Set.of(SHIRT);
            assertTrue(after.forgetAccuracy(gone) < 0.02, "Shirt forgotten: " + after.forgetAccuracy(gone));
            assertTrue(after.retainAccuracy(gone) > before.retainAccuracy(gone) - 0.01,
                    "the rest kept: " + before.retainAccuracy(gone) + " -> " + after.retainAccuracy(gone));
        }
    }
}
