package dev.lethe.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** The bytes of an unsigned-byte IDX file with the given dimensions and data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] raw, boolean gzip) throws IOException {
        Files.write(file, gzip ? gzip(raw) : raw);
        return file;
    }

    /** Image bytes {@code (i * 7 + 3) mod 256}: every value 0..255 shows up in a few images. */
    static byte[] pixelBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** Writes a tiny Fashion-MNIST-shaped directory: 28x28 images, {@code perClass} per class. */
    static void writeFakeFashionMnist(Path dir, int trainPerClass, int testPerClass, boolean gzip)
            throws IOException {
        writePair(dir, "train", trainPerClass, gzip);
        writePair(dir, "t10k", testPerClass, gzip);
    }

    private static void writePair(Path dir, String prefix, int perClass, boolean gzip) throws IOException {
        int n = perClass * 10;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) ((i * 3) % 10);
        }
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), idx(new int[] {n, 28, 28}, pixelBytes(n * 784)),
                gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), idx(new int[] {n}, labels), gzip);
    }
}
