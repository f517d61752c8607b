package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** train/{b,a}: a has 3 images, b has 2; test/{a,b}: one each; pixel = 10 * class + index in class. */
    private void greyFolder() throws IOException {
        for (String name : List.of("2.png", "10.png", "1.png")) {
            ImageFiles.grey(root.resolve("train/a").resolve(name), 2, 3, Integer.parseInt(name.split("\\.")[0]));
        }
        ImageFiles.grey(root.resolve("train/b/x.png"), 2, 3, 50);
        ImageFiles.grey(root.resolve("train/b/y.png"), 2, 3, 60);
        ImageFiles.grey(root.resolve("test/a/t.png"), 2, 3, 70);
        ImageFiles.grey(root.resolve("test/b/t.png"), 2, 3, 80);
    }

    private DataSpec spec() {
        return DataSpec.of(DataSpec.Format.IMAGE_FOLDER, root);
    }

    private static int[] firstPixels(Dataset d) {
        int[] out = new int[d.size()];
        for (int i = 0; i < d.size(); i++) {
            out[i] = d.imageBytes(i)[0] & 0xff;
        }
        return out;
    }

    @Test
    void classesAreSortedDirectoriesAndFilesAreReadInNameOrder() throws IOException {
        greyFolder();
        Files.writeString(root.resolve("train/a/.DS_Store"), "junk");
        Files.createDirectories(root.resolve("train/.cache"));
        Datasets.Loaded d = Datasets.read(spec());
        assertEquals(List.of("a", "b"), d.labels());
        assertEquals("Dataset[5 images 1x2x3, 2 classes]", d.train().toString());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, d.train().labels());
        assertArrayEquals(new int[] {1, 10, 2, 50, 60}, firstPixels(d.train()), "1.png, 10.png, 2.png: string order");
        assertArrayEquals(new int[] {70, 80}, firstPixels(d.test()));
    }

    @Test
    void colourAnywhereMakesThreeChannelsAndGreyIsReplicated() throws IOException {
        greyFolder();
        ImageFiles.rgb(root.resolve("test/b/t.png"), 2, 3, 200, 100, 7);
        Datasets.Loaded d = Datasets.read(spec());
        assertEquals(3, d.train().channels());
        byte[] grey = d.train().imageBytes(3);
        for (int i = 0; i < 18; i++) {
            assertEquals(50, grey[i] & 0xff);
        }
        byte[] colour = d.test().imageBytes(1);
        assertEquals(200, colour[0] & 0xff);
        assertEquals(100, colour[6] & 0xff);
        assertEquals(7, colour[12] & 0xff);
    }

    @Test
    void sixteenBitGreyPalettesAndJpegsDecode() throws IOException {
        ImageFiles.write(root.resolve("train/a/deep.png"), BufferedImage.TYPE_USHORT_GRAY, 2, 2, 257 * 99);
        byte[] red = {(byte) 250, 0};
        byte[] green = {10, 0};
        byte[] blue = {20, 0};
        BufferedImage palette = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, red, green, blue));
        ImageFiles.write(root.resolve("train/b/palette.png"), palette);
        ImageFiles.write(root.resolve("test/a/photo.jpg"), BufferedImage.TYPE_3BYTE_BGR, 8, 8, 128, 128, 128);
        ImageFiles.rgb(root.resolve("test/b/t.png"), 2, 2, 1, 2, 3);
        DataSpec spec = spec().withInput(3, 2, 2, DataSpec.Fit.RESIZE);
        Datasets.Loaded d = Datasets.read(spec);
        assertEquals(99, d.train().imageBytes(0)[0] & 0xff, "16-bit 257 * 99 is 8-bit 99");
        byte[] p = d.train().imageBytes(1);
        assertEquals(250, p[0] & 0xff);
        assertEquals(10, p[4] & 0xff);
        assertEquals(20, p[8] & 0xff);
        byte[] jpeg = d.test().imageBytes(0);
        assertTrue(Math.abs((jpeg[0] & 0xff) - 128) <= 2, "a flat grey JPEG stays near 128: " + (jpeg[0] & 0xff));
    }

    @Test
    void padFitsSmallerImagesAndRefusesLargerOnes() throws IOException {
        greyFolder();
        ImageFiles.grey(root.resolve("train/b/y.png"), 1, 1, 60);
        DataSpec padded = spec().withInput(1, 4, 5, DataSpec.Fit.PAD);
        Dataset train = Datasets.read(padded).train();
        assertEquals(60, train.imageBytes(4)[5 + 2] & 0xff, "row (4 - 1) / 2, column (5 - 1) / 2");
        assertEquals(0, train.imageBytes(4)[0]);
        DataFormatException unlike = assertThrows(DataFormatException.class, () -> Datasets.read(spec()));
        assertEquals(root.resolve("train/b/y.png"), unlike.file());
        assertTrue(unlike.getMessage().contains("is 1x1, unlike"), unlike.getMessage());
        DataFormatException larger = assertThrows(DataFormatException.class,
                () -> Datasets.read(spec().withInput(1, 2, 2, DataSpec.Fit.PAD)));
        assertEquals(root.resolve("train/a/1.png"), larger.file(), "the first image in reading order that misfits");
        assertTrue(larger.getMessage().contains("larger than the 2x2"), larger.getMessage());
    }

    @Test
    void specLabelsNameTheSortedDirectoriesByPosition() throws IOException {
        greyFolder();
        assertEquals(List.of("Apple", "Bee"), Datasets.read(spec().withLabels(List.of("Apple", "Bee"))).labels());
        DataException swapped = assertThrows(DataException.class,
                () -> Datasets.read(spec().withLabels(List.of("b", "a"))));
        assertTrue(swapped.getMessage().contains("directory 'b' is class 1"), swapped.getMessage());
        DataException count = assertThrows(DataException.class,
                () -> Datasets.read(spec().withLabels(List.of("a", "b", "c"))));
        assertTrue(count.getMessage().contains("names 3 labels") && count.getMessage().contains("2 classes"),
                count.getMessage());
    }

    @Test
    void layoutMistakesAreNamed() throws IOException {
        greyFolder();
        Files.createDirectories(root.resolve("test/c"));
        assertReason("test/c is not a class: train/ has no 'c'");
        Files.delete(root.resolve("test/c"));

        Files.delete(root.resolve("test/b/t.png"));
        assertReason("class 'b' has no images in " + root.resolve("test/b"));
        Files.delete(root.resolve("test/b"));
        assertReason("has no directory for class 'b'");
        ImageFiles.grey(root.resolve("test/b/t.png"), 2, 3, 80);

        Files.writeString(root.resolve("train/a/notes.txt"), "x");
        assertReason("notes.txt: not a .png, .jpg or .jpeg file");
        Files.delete(root.resolve("train/a/notes.txt"));

        Files.createDirectories(root.resolve("train/a/more"));
        assertReason("a directory inside a class directory");
        Files.delete(root.resolve("train/a/more"));

        Files.writeString(root.resolve("train/stray.png"), "x");
        assertReason("train/ holds one directory per class, not files");
        Files.delete(root.resolve("train/stray.png"));

        Files.writeString(root.resolve("train/b/x.png"), "not a png at all");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.read(spec()));
        assertEquals(root.resolve("train/b/x.png"), e.file());
    }

    @Test
    void missingRootOrSplitIsNotFound() throws IOException {
        DatasetNotFoundException none = assertThrows(DatasetNotFoundException.class,
                () -> Datasets.read(DataSpec.of(DataSpec.Format.IMAGE_FOLDER, root.resolve("nowhere"))));
        assertTrue(none.getMessage().contains("no such directory"), none.getMessage());
        greyFolder();
        for (Path p : List.of(root.resolve("test/a/t.png"), root.resolve("test/b/t.png"), root.resolve("test/a"),
                root.resolve("test/b"), root.resolve("test"))) {
            Files.delete(p);
        }
        DatasetNotFoundException noTest = assertThrows(DatasetNotFoundException.class, () -> Datasets.read(spec()));
        assertTrue(noTest.getMessage().contains("no test/ directory"), noTest.getMessage());
    }

    private void assertReason(String part) {
        DataException e = assertThrows(DataException.class, () -> Datasets.read(spec()));
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
}
