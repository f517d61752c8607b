package dev.lethe.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes small CIFAR-10 / CIFAR-100 binary directories for tests, in the real record format. */
final class CifarFiles {
    static final List<String> CIFAR10_LABELS = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private CifarFiles() {}

    /** Pixel {@code i} (0..3071, channel-major) of the image with serial number {@code s}. */
    static byte pixel(int s, int i) {
        return (byte) (s * 31 + i * 7);
    }

    /** Records with the given label bytes per record; record {@code k} has serial {@code first + k}. */
    static byte[] records(int first, int[]... labelBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < labelBytes.length; k++) {
            for (int l : labelBytes[k]) {
                out.write(l);
            }
            for (int i = 0; i < 3072; i++) {
                out.write(pixel(first + k, i));
            }
        }
        return out.toByteArray();
    }

    /**
     * CIFAR-10: training batch b holds {@code b + 1} records (15 in all, serials 0..14), the test
     * batch 4 (serials 100..103); record labels are {@code serial mod 10}.
     */
    static Path cifar10(Path dir) throws IOException {
        Files.createDirectories(dir);
        int serial = 0;
        for (int b = 1; b <= 5; b++) {
            int[][] labels = new int[b][];
            for (int k = 0; k < b; k++) {
                labels[k] = new int[] {(serial + k) % 10};
            }
            Files.write(dir.resolve("data_batch_" + b + ".bin"), records(serial, labels));
            serial += b;
        }
        Files.write(dir.resolve("test_batch.bin"), records(100, new int[] {0}, new int[] {1}, new int[] {2},
                new int[] {3}));
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CIFAR10_LABELS) + "\n\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    /** CIFAR-100 with 3 fine classes in 2 coarse ones: train serials 0..5 (fine = serial mod 3), test 100..102. */
    static Path cifar100(Path dir) throws IOException {
        Files.createDirectories(dir);
        int[][] train = new int[6][];
        for (int k = 0; k < 6; k++) {
            train[k] = new int[] {k % 3 == 2 ? 1 : 0, k % 3};
        }
        Files.write(dir.resolve("train.bin"), records(0, train));
        Files.write(dir.resolve("test.bin"), records(100, new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 2}));
        Files.writeString(dir.resolve("fine_label_names.txt"), "apple\nbee\nchair\n");
        Files.writeString(dir.resolve("coarse_label_names.txt"), "living\nfurniture\n");
        return dir;
    }
}
