package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path tmp;

    private static byte[] image(int serial) {
        byte[] b = new byte[3072];
        for (int i = 0; i < b.length; i++) {
            b[i] = CifarFiles.pixel(serial, i);
        }
        return b;
    }

    @Test
    void cifar10ReadsEveryBatchInOrderChannelMajor() throws IOException {
        Path dir = CifarFiles.cifar10(tmp.resolve("cifar-10-batches-bin"));
        Datasets.Loaded d = Datasets.read(DataSpec.of(DataSpec.Format.CIFAR10, dir));
        assertEquals(CifarFiles.CIFAR10_LABELS, d.labels());
        assertEquals(15, d.train().size());
        assertEquals(4, d.test().size());
        assertEquals("Dataset[15 images 3x32x32, 10 classes]", d.train().toString());
        for (int s = 0; s < 15; s++) {
            assertEquals(s % 10, d.train().label(s));
            assertArrayEquals(image(s), d.train().imageBytes(s), "train image " + s);
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.test().labels());
        assertArrayEquals(image(102), d.test().imageBytes(2));
    }

    @Test
    void cifar10ToOneChannelTakesTheLuma() throws IOException {
        Path dir = CifarFiles.cifar10(tmp.resolve("c10"));
        DataSpec grey = DataSpec.of(DataSpec.Format.CIFAR10, dir).withInput(1, 32, 32, DataSpec.Fit.NONE);
        Dataset train = Datasets.read(grey).train();
        assertEquals(1, train.channels());
        byte[] rgb = image(7);
        byte[] luma = ImageFit.luma(rgb, 0, 1024);
        assertArrayEquals(luma, train.imageBytes(7));
        int r = rgb[5] & 0xff;
        int g = rgb[1024 + 5] & 0xff;
        int b = rgb[2048 + 5] & 0xff;
        assertEquals(Math.round(0.299 * r + 0.587 * g + 0.114 * b), luma[5] & 0xff, 1.0);
    }

    @Test
    void cifar100FineByDefaultCoarseOnRequest() throws IOException {
        Path dir = CifarFiles.cifar100(tmp.resolve("cifar-100-binary"));
        Datasets.Loaded fine = Datasets.read(DataSpec.of(DataSpec.Format.CIFAR100, dir));
        assertEquals(List.of("apple", "bee", "chair"), fine.labels());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, fine.train().labels());
        assertArrayEquals(new int[] {0, 1, 2}, fine.test().labels());
        assertArrayEquals(image(4), fine.train().imageBytes(4));
        DataSpec coarseSpec = new DataSpec(DataSpec.Format.CIFAR100, dir.toString(), null, null, null, null, null,
                "coarse", null);
        Datasets.Loaded coarse = Datasets.read(coarseSpec);
        assertEquals(List.of("living", "furniture"), coarse.labels());
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 1}, coarse.train().labels());
    }

    @Test
    void aFileThatIsNotWholeRecordsIsNamed() throws IOException {
        Path dir = CifarFiles.cifar10(tmp.resolve("c10"));
        Path batch = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(b, b.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(DataSpec.of(DataSpec.Format.CIFAR10, dir)));
        assertEquals(batch, e.file());
        assertTrue(e.getMessage().contains("3073-byte records"), e.getMessage());
    }

    @Test
    void aLabelBeyondTheNamesIsNamed() throws IOException {
        Path dir = CifarFiles.cifar100(tmp.resolve("c100"));
        Files.writeString(dir.resolve("fine_label_names.txt"), "apple\nbee\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.read(DataSpec.of(DataSpec.Format.CIFAR100, dir)));
        assertEquals(dir.resolve("train.bin"), e.file());
        assertTrue(e.getMessage().contains("record 2 has label 2") && e.getMessage().contains("names 2 classes"),
                e.getMessage());
    }

    @Test
    void missingFilesAreListed() throws IOException {
        Path dir = CifarFiles.cifar10(tmp.resolve("c10"));
        Files.delete(dir.resolve("data_batch_4.bin"));
        Files.delete(dir.resolve("batches.meta.txt"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> Datasets.read(DataSpec.of(DataSpec.Format.CIFAR10, dir)));
        assertTrue(e.getMessage().contains("missing batches.meta.txt, data_batch_4.bin"), e.getMessage());
        DatasetNotFoundException wrongFormat = assertThrows(DatasetNotFoundException.class,
                () -> Datasets.read(DataSpec.of(DataSpec.Format.CIFAR100, dir)));
        assertTrue(wrongFormat.getMessage().contains("missing fine_label_names.txt, train.bin, test.bin"),
                wrongFormat.getMessage());
    }

    @Test
    void specLabelsRenameButMustCountAlike() throws IOException {
        Path dir = CifarFiles.cifar100(tmp.resolve("c100"));
        DataSpec renamed = DataSpec.of(DataSpec.Format.CIFAR100, dir).withLabels(List.of("A", "B", "C"));
        assertEquals(List.of("A", "B", "C"), Datasets.read(renamed).labels());
        DataException e = assertThrows(DataException.class,
                () -> Datasets.read(renamed.withLabels(List.of("A", "B"))));
        assertTrue(e.getMessage().contains("names 2 labels") && e.getMessage().contains("has 3 classes"), e.getMessage());
    }
}
