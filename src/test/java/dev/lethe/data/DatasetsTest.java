package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks a registration runs, their reasons, the cache and the fingerprint. */
class DatasetsTest {
    private static final ImageShape GREY_28 = ImageShape.FASHION_MNIST;

    @TempDir
    Path tmp;

    private Path fake(String name, int trainPerClass, int testPerClass) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        IdxFiles.writeFakeFashionMnist(dir, trainPerClass, testPerClass, true);
        return dir;
    }

    private static String reason(DataSpec spec, int numClasses, ImageShape input) {
        return assertThrows(DataException.class, () -> Datasets.check(spec, numClasses, input)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void aMatchingModelPassesAndTheSummaryCounts() throws IOException {
        Path dir = fake("ok", 30, 2);
        Datasets.Summary s = Datasets.check(FashionMnist.spec(dir), 10, GREY_28);
        assertEquals(FashionMnist.LABELS, s.labels());
        assertEquals(GREY_28, s.shape());
        assertEquals(27, s.train()[4], "a tenth of the smallest class (30) is held out for validation");
        assertEquals(3, s.validation()[4]);
        assertEquals(2, s.test()[9]);
    }

    @Test
    void missingDirectory() {
        String r = reason(FashionMnist.spec(tmp.resolve("gone")), 10, GREY_28);
        assertContains(r, tmp.resolve("gone").toString(), "no such directory");
    }

    @Test
    void formatWhoseFilesAreNotThere() throws IOException {
        Path dir = fake("partial", 2, 1);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertContains(reason(FashionMnist.spec(dir), 10, GREY_28), "missing t10k-labels-idx1-ubyte");
        Path images = fake("images", 2, 1);
        assertContains(reason(DataSpec.of(DataSpec.Format.CIFAR10, images), 10, new ImageShape(3, 32, 32)),
                "missing batches.meta.txt, data_batch_1.bin");
        assertContains(reason(DataSpec.of(DataSpec.Format.IMAGE_FOLDER, images), 10, GREY_28), "no train/ directory");
    }

    @Test
    void malformedFileIsNamedWithWhatIsWrong() throws IOException {
        Path dir = fake("bad", 2, 1);
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        Files.write(labels, IdxFiles.gzip(IdxFiles.idx(new int[] {7}, new byte[3])));
        assertContains(reason(FashionMnist.spec(dir), 10, GREY_28), labels.toString(), "expected 7 bytes of label data");
    }

    @Test
    void labelCountThatDisagreesWithTheHead() throws IOException {
        Path dir = fake("ten", 2, 1);
        assertContains(reason(FashionMnist.spec(dir), 5, GREY_28), "names 10 classes, the model's head has 5");
        DataSpec unnamed = DataSpec.of(DataSpec.Format.IDX, dir);
        assertContains(reason(unnamed, 12, GREY_28), "the data has 10 classes [0, 1,", "the model's head has 12");
    }

    @Test
    void imageSizeThatCannotBeFitted() throws IOException {
        Path dir = fake("shape", 2, 1);
        ImageShape rgb32 = new ImageShape(3, 32, 32);
        assertContains(reason(FashionMnist.spec(dir), 10, rgb32), "makes 1x28x28 images, the model takes 3x32x32");
        assertContains(reason(DataSpec.of(DataSpec.Format.IDX, dir), 10, rgb32),
                "the data gives 1x28x28 images, the model takes 3x32x32", "fit (pad or resize)");
        DataSpec shrinkByPad = FashionMnist.spec(dir).withInput(3, 24, 24, DataSpec.Fit.PAD);
        assertContains(reason(shrinkByPad, 10, new ImageShape(3, 24, 24)), "train-images-idx3-ubyte.gz",
                "is 28x28, larger than the 24x24");
        assertEquals(rgb32, Datasets.check(FashionMnist.spec(dir).withInput(3, 32, 32, DataSpec.Fit.PAD), 10, rgb32)
                .shape());
    }

    @Test
    void emptyClassInTrainOrTest() throws IOException {
        Path dir = fake("empty", 3, 1);
        writeLabelsWithoutNine(dir.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertContains(reason(FashionMnist.spec(dir), 10, GREY_28), "class 9 'Ankle boot' has no test images");
        Path train = fake("emptyTrain", 3, 1);
        writeLabelsWithoutNine(train.resolve("train-labels-idx1-ubyte.gz"), 30);
        assertContains(reason(FashionMnist.spec(train), 10, GREY_28), "class 9 'Ankle boot' has no training images");
        Path cifar = CifarFiles.cifar10(tmp.resolve("cifar"));
        assertContains(reason(DataSpec.of(DataSpec.Format.CIFAR10, cifar), 10, new ImageShape(3, 32, 32)),
                "class 4 'deer' has no test images");
    }

    /** The fake's labels are (3 i) mod 10: rewrite them with every 9 made 8. */
    private static void writeLabelsWithoutNine(Path file, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) Math.min((i * 3) % 10, 8);
        }
        Files.write(file, IdxFiles.gzip(IdxFiles.idx(new int[] {n}, labels)));
    }

    @Test
    void tooFewTrainingImagesForTheValidationSplit() throws IOException {
        Path dir = fake("few", 4, 1);
        DataSpec spec = new DataSpec(DataSpec.Format.IDX, dir.toString(), null, null, null, null, null, null, 4);
        assertContains(reason(spec, 10, GREY_28), "class 0 '0' has 4 training images", "holds out 4 of each class");
    }

    @Test
    void loadIsCachedPerSpecAndFailuresAreNot() throws IOException {
        Path dir = fake("cached", 3, 1);
        DataSpec spec = FashionMnist.spec(dir);
        Splits first = Datasets.load(spec);
        assertSame(first, Datasets.load(spec));
        assertSame(first, Datasets.load(spec.withLocation(Path.of(dir.toUri().toString().replace("file://", "")))));
        assertSame(first, Datasets.load(new DataSpec(spec.format(), dir.toUri().toString(), spec.labels(),
                spec.channels(), spec.height(), spec.width(), spec.fit(), null, null)), "a file: URI is the same place");
        Splits padded = Datasets.load(spec.withInput(3, 32, 32, DataSpec.Fit.PAD));
        assertNotSame(first, padded);
        assertEquals(3, padded.train().channels());

        Path later = tmp.resolve("later");
        assertThrows(DatasetNotFoundException.class, () -> Datasets.load(FashionMnist.spec(later)));
        IdxFiles.writeFakeFashionMnist(Files.createDirectories(later), 3, 1, false);
        assertEquals(30, Datasets.load(FashionMnist.spec(later)).test().size() * 3, "found once it is there");

        for (int k = 0; k < Datasets.CACHE_SIZE; k++) {
            Datasets.load(spec.withInput(1, 29 + k, 29 + k, DataSpec.Fit.PAD));
        }
        assertNotSame(first, Datasets.load(spec), "evicted after " + Datasets.CACHE_SIZE + " newer specs");
    }

    @Test
    void fingerprintCoversRelativePathsAndBytes() throws Exception {
        Path a = CifarFiles.cifar10(tmp.resolve("a"));
        Path b = CifarFiles.cifar10(tmp.resolve("elsewhere/b"));
        DataSpec spec = DataSpec.of(DataSpec.Format.CIFAR10, a);
        String fp = Datasets.fingerprint(spec);
        assertEquals(documented(a, List.of("batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin",
                "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin")), fp);
        assertEquals(fp, Datasets.fingerprint(spec.withLocation(b)), "the same files elsewhere");
        Files.writeString(a.resolve("unrelated.txt"), "not read by the reader");
        assertEquals(fp, Datasets.fingerprint(spec), "files the format does not read do not count");
        byte[] batch = Files.readAllBytes(a.resolve("data_batch_2.bin"));
        batch[1000] ^= 1;
        Files.write(a.resolve("data_batch_2.bin"), batch);
        assertNotEquals(fp, Datasets.fingerprint(spec), "one bit of one image");

        Path folder = tmp.resolve("folder");
        ImageFiles.grey(folder.resolve("train/x/1.png"), 2, 2, 9);
        ImageFiles.grey(folder.resolve("test/x/1.png"), 2, 2, 9);
        DataSpec images = DataSpec.of(DataSpec.Format.IMAGE_FOLDER, folder);
        String before = Datasets.fingerprint(images);
        assertEquals(documented(folder, List.of("test/x/1.png", "train/x/1.png")), before);
        Files.move(folder.resolve("train/x/1.png"), folder.resolve("train/x/2.png"));
        assertNotEquals(before, Datasets.fingerprint(images), "a renamed image");
    }

    /** The fingerprint as docs/data.md defines it, for files given in sorted order. */
    private static String documented(Path root, List<String> sortedRelativePaths) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String rel : sortedRelativePaths) {
            byte[] bytes = Files.readAllBytes(root.resolve(rel));
            sha.update(rel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void realFashionMnistFingerprint() throws IOException {
        Path dir = TestDirs.fashionMnist();
        long t0 = System.nanoTime();
        String fp = Datasets.fingerprint(FashionMnist.spec(dir));
        System.out.printf("Fashion-MNIST fingerprint %s in %d ms%n", fp, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(64, fp.length());
        assertArrayEquals(new int[] {5500, 5500, 5500, 5500, 5500, 5500, 5500, 5500, 5500, 5500},
                Datasets.check(FashionMnist.spec(dir), 10, GREY_28).train());
    }
}
