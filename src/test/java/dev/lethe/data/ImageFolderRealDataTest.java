package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Fashion-MNIST, padded to 3x32x32, written as an image folder and read back: the same
 * images, class by class in the same order, as reading the IDX files with the same fit.
 */
class ImageFolderRealDataTest {
    private static final ImageShape RGB_32 = new ImageShape(3, 32, 32);

    @TempDir
    Path tmp;

    private static DataSpec padded(Path dir) {
        return FashionMnist.spec(dir).withInput(3, 32, 32, DataSpec.Fit.PAD);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRealSubsetRoundTripsThroughPngs() throws IOException {
        Datasets.Loaded all = Datasets.read(padded(TestDirs.fashionMnist()));
        Datasets.Loaded subset = new Datasets.Loaded(firstOfEachClass(all.train(), 30), firstOfEachClass(all.test(), 5),
                all.labels());
        Path root = tmp.resolve("fashion-32");
        DataSpec written = ImageFolder.write(subset, root, null);
        assertEquals(written, DataSpec.read(root.resolve(ImageFolder.SPEC_FILE)));
        assertEquals(FashionMnist.LABELS, written.labels());

        Datasets.Summary s = Datasets.check(written, 10, RGB_32);
        assertArrayEquals(new int[] {27, 27, 27, 27, 27, 27, 27, 27, 27, 27}, s.train());
        Datasets.Loaded back = Datasets.read(written);
        assertSameByClass(subset.train(), back.train());
        assertSameByClass(subset.test(), back.test());
    }

    /**
     * The whole set (70,000 PNGs): the splits and the default sample bank pick the same images
     * as from the IDX files, because both draw within each class in the class's own order.
     */
    @Test
    @Tag("slow")
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void theWholeSetGivesTheSameSplitsAndBankAsTheIdxFiles() throws IOException {
        Path dir = TestDirs.fashionMnist();
        Path root = tmp.resolve("fashion-32-all");
        long t0 = System.nanoTime();
        DataSpec folder = ImageFolder.write(Datasets.read(padded(dir)), root, null);
        long t1 = System.nanoTime();
        Splits viaFolder = Datasets.load(folder);
        long t2 = System.nanoTime();
        String fp = Datasets.fingerprint(folder);
        long t3 = System.nanoTime();
        System.out.printf("image folder: exported in %d ms, loaded in %d ms, fingerprint %s in %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, fp, (t3 - t2) / 1_000_000);
        Splits viaIdx = Datasets.load(padded(dir));
        assertSameByClass(viaIdx.train(), viaFolder.train());
        assertSameByClass(viaIdx.validation(), viaFolder.validation());
        assertSameByClass(viaIdx.test(), viaFolder.test());
        SampleBank a = SampleBank.of(viaIdx);
        SampleBank b = SampleBank.of(viaFolder);
        for (int c = 0; c < 10; c++) {
            assertArrayEquals(a.forClass(c).pixels(), b.forClass(c).pixels(), "bank of class " + c);
        }
    }

    private static Dataset firstOfEachClass(Dataset d, int n) {
        int[] pick = new int[10 * n];
        for (int c = 0; c < 10; c++) {
            System.arraycopy(d.indicesOfClass(c), 0, pick, c * n, n);
        }
        java.util.Arrays.sort(pick);
        return d.select(pick);
    }

    /** Same class count, and within each class the same images in the same order. */
    private static void assertSameByClass(Dataset expected, Dataset actual) {
        assertEquals(ImageShape.of(expected), ImageShape.of(actual));
        assertArrayEquals(expected.classCounts(), actual.classCounts());
        for (int c = 0; c < expected.numClasses(); c++) {
            int[] e = expected.indicesOfClass(c);
            int[] a = actual.indicesOfClass(c);
            for (int k = 0; k < e.length; k++) {
                assertArrayEquals(expected.imageBytes(e[k]), actual.imageBytes(a[k]), "class " + c + ", image " + k);
            }
        }
    }

    @Test
    void labelsOfTheWrittenFolderAreTheSourceLabels() {
        assertEquals(List.of("0-T-shirt_top", "1-Trouser"), ImageFolder.directoryNames(List.of("T-shirt/top", "Trouser")));
        assertEquals("07-x_y", ImageFolder.directoryNames(java.util.Collections.nCopies(12, "x:y")).get(7));
    }
}
