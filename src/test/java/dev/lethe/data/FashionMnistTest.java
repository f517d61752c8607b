package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path tmp;

    @Test
    void labels() {
        assertEquals(10, FashionMnist.LABELS.size());
        assertEquals("T-shirt/top", FashionMnist.LABELS.get(0));
        assertEquals("Shirt", FashionMnist.LABELS.get(6));
        assertEquals("Ankle boot", FashionMnist.LABELS.get(9));
    }

    @Test
    void locateSearchesExplicitThenEnvThenDefault() throws IOException {
        Path explicit = Files.createDirectory(tmp.resolve("explicit"));
        Path env = Files.createDirectory(tmp.resolve("env"));
        Path fallback = Files.createDirectory(tmp.resolve("default"));
        IdxFiles.writeFakeFashionMnist(explicit, 2, 1, true);
        IdxFiles.writeFakeFashionMnist(env, 2, 1, false);
        IdxFiles.writeFakeFashionMnist(fallback, 2, 1, true);

        assertEquals(explicit, FashionMnist.locate(explicit, env.toString(), fallback));
        assertEquals(env, FashionMnist.locate(null, env.toString(), fallback));
        assertEquals(fallback, FashionMnist.locate(null, null, fallback));
        assertEquals(fallback, FashionMnist.locate(tmp.resolve("nowhere"), "", fallback));
    }

    @Test
    void locateAcceptsMixedPlainAndGzipFiles() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("mixed"));
        IdxFiles.writeFakeFashionMnist(dir, 2, 1, true);
        Path gz = dir.resolve("t10k-labels-idx1-ubyte.gz");
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new java.util.zip.GZIPInputStream(
                Files.newInputStream(gz)).readAllBytes());
        Files.delete(gz);
        assertEquals(dir, FashionMnist.locate(null, null, dir));
        assertEquals(10, FashionMnist.loadTest(dir).size());
    }

    @Test
    void notFoundSaysWhereItLookedAndHowToInstall() throws IOException {
        Path partial = Files.createDirectory(tmp.resolve("partial"));
        IdxFiles.writeFakeFashionMnist(partial, 2, 1, true);
        Files.delete(partial.resolve("train-images-idx3-ubyte.gz"));
        Path absent = tmp.resolve("absent");

        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.locate(partial, null, absent));
        String m = e.getMessage();
        for (String part : new String[] {partial.toString(), "missing train-images-idx3-ubyte",
                "$LETHE_DATA: not set", absent + ": no such directory",
                "sudo apt-get install dataset-fashion-mnist", "--data"}) {
            assertTrue(m.contains(part), "message should contain '" + part + "':\n" + m);
        }
    }

    @Test
    void loadsSplitsFromADirectory() throws IOException {
        IdxFiles.writeFakeFashionMnist(tmp, 6, 3, true);
        Splits s = FashionMnist.load(tmp, new Splits.Spec(2, 9));
        assertEquals(40, s.train().size());
        assertEquals(20, s.validation().size());
        assertEquals(30, s.test().size());
        assertEquals(28, s.test().rows());
        assertEquals(28, s.test().cols());
        assertEquals(10, s.train().numClasses());
    }

    @Test
    void realTestLabelsHaveAThousandPerClass() throws IOException {
        Path dir = realDataOrSkip();
        Dataset test = FashionMnist.loadTest(dir);
        assertEquals(10_000, test.size());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                test.classCounts());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : test.pixels()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void realDefaultSplits() throws IOException {
        Path dir = realDataOrSkip();
        long t0 = System.nanoTime();
        Splits s = FashionMnist.load(dir);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("Fashion-MNIST loaded and split in " + ms + " ms: " + s);
        assertEquals(55_000, s.train().size());
        assertEquals(5_000, s.validation().size());
        assertEquals(10_000, s.test().size());
        for (int c = 0; c < 10; c++) {
            assertEquals(500, s.validation().classCounts()[c]);
            assertEquals(5_500, s.train().classCounts()[c]);
        }
        SampleBank bank = SampleBank.of(s);
        assertEquals(900, bank.forClasses(java.util.List.of(0, 2, 3, 4, 5, 6, 7, 8, 9)).size());
    }

    private static Path realDataOrSkip() {
        return TestDirs.fashionMnist();
    }
}
