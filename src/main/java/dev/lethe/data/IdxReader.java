package dev.lethe.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of (Fashion-)MNIST: a big-endian magic {@code 0x00 0x00 TYPE NDIMS},
 * {@code NDIMS} big-endian int32 dimensions, then the data in row-major order. Only the
 * unsigned-byte type ({@code 0x08}) is supported, which is what image and label files use.
 *
 * <p>A file is gunzipped when it starts with the gzip magic {@code 0x1f 0x8b}, whatever its
 * name. Every defect (wrong magic or type, truncated header or data, corrupt gzip, bytes
 * after the data) raises an {@link DataFormatException} that names the file. Bytes after the
 * end of a gzip member are the one thing not checked: {@code java.util.zip} ignores them,
 * as {@code gunzip} does.
 */
public final class IdxReader {
    /** IDX element type code of unsigned bytes. */
    static final int TYPE_UNSIGNED_BYTE = 0x08;

    private static final int CHUNK = 1 << 16;

    /** The images of an IDX3 file: their bytes, image after image, row-major. */
    public record Images(int count, int rows, int cols, byte[] bytes) {
        /** The pixels scaled from 0..255 to [0, 1] ({@code (b & 0xff) / 255f}), in a new array. */
        public float[] pixels() {
            float[] out = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = (bytes[i] & 0xff) / 255f;
            }
            return out;
        }
    }

    private IdxReader() {}

    /** Reads an image file: three dimensions (count, rows, cols). */
    public static Images readImages(Path file) throws IOException {
        return read(file, in -> {
            int[] dims = readHeader(in, file, 3, "images");
            if (dims[1] == 0 || dims[2] == 0) {
                throw new DataFormatException(file, "image size " + dims[1] + "x" + dims[2] + " is empty");
            }
            byte[] bytes = new byte[checkedSize(file, dims)];
            readPayload(in, file, bytes.length, "pixel", (buf, len, at) -> System.arraycopy(buf, 0, bytes, at, len));
            return new Images(dims[0], dims[1], dims[2], bytes);
        });
    }

    /** Reads a label file: one dimension; each byte is a label 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        return read(file, in -> {
            int[] labels = new int[readHeader(in, file, 1, "labels")[0]];
            readPayload(in, file, labels.length, "label", (buf, len, at) -> {
                for (int i = 0; i < len; i++) {
                    labels[at + i] = buf[i] & 0xff;
                }
            });
            return labels;
        });
    }

    /**
     * Reads an image file and its label file into one dataset of 8-bit one-channel images; the
     * counts must agree. The class count is the largest label + 1.
     */
    public static Dataset readDataset(Path imageFile, Path labelFile) throws IOException {
        Images images = readImages(imageFile);
        int[] labels = readLabels(labelFile);
        if (labels.length != images.count()) {
            throw new DataFormatException(labelFile, "holds " + labels.length + " labels but "
                    + imageFile + " holds " + images.count() + " images");
        }
        return Dataset.ofBytes(images.bytes(), labels, 1, images.rows(), images.cols(),
                Arrays.stream(labels).max().orElse(-1) + 1);
    }

    private interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    private static <T> T read(Path file, Parser<T> parser) throws IOException {
        try (InputStream in = open(file)) {
            try {
                return parser.parse(in);
            } catch (DataFormatException e) {
                // Damaged deflate data often inflates to junk before the CRC check notices:
                // blame the gzip layer when the rest of the stream shows it is broken.
                if (in instanceof GZIPInputStream) {
                    IOException defect = gzipDefect(in);
                    if (defect != null) {
                        DataFormatException corrupt = corruptGzip(file, defect);
                        corrupt.addSuppressed(e);
                        throw corrupt;
                    }
                }
                throw e;
            }
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
    }

    /** Reads {@code in} to its end; the gzip error met on the way, or null. */
    private static IOException gzipDefect(InputStream in) {
        byte[] buf = new byte[CHUNK];
        try {
            while (in.read(buf) > 0) {
                // drain, so that the trailer's CRC and length are checked
            }
            return null;
        } catch (ZipException | EOFException e) {
            return e;
        } catch (IOException e) {
            return null;
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, CHUNK);
            } catch (IOException e) {
                in.close();
                throw corruptGzip(file, e);
            }
        }
        return in;
    }

    private static DataFormatException corruptGzip(Path file, IOException e) {
        return new DataFormatException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
    }

    private static int[] readHeader(InputStream in, Path file, int expectedDims, String kind)
            throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new DataFormatException(file, "truncated header: expected a 4-byte IDX magic, file ends after "
                    + got + " bytes");
        }
        int type = magic[2] & 0xff;
        int ndims = magic[3] & 0xff;
        String magicHex = String.format("0x%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(file, "not an IDX file: magic " + magicHex
                    + " does not start with two zero bytes");
        }
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new DataFormatException(file, String.format(
                    "unsupported IDX element type 0x%02x in magic %s (only 0x08, unsigned byte, is supported)",
                    type, magicHex));
        }
        if (ndims != expectedDims) {
            throw new DataFormatException(file, "expected " + expectedDims + " dimension(s) for " + kind
                    + ", magic " + magicHex + " declares " + ndims);
        }
        byte[] raw = new byte[4 * ndims];
        got = in.readNBytes(raw, 0, raw.length);
        if (got < raw.length) {
            throw new DataFormatException(file, "truncated header: expected " + (4 + raw.length)
                    + " header bytes, file ends after " + (4 + got));
        }
        int[] dims = new int[ndims];
        for (int d = 0; d < ndims; d++) {
            int at = 4 * d;
            dims[d] = (raw[at] & 0xff) << 24 | (raw[at + 1] & 0xff) << 16 | (raw[at + 2] & 0xff) << 8
                    | (raw[at + 3] & 0xff);
            if (dims[d] < 0) {
                throw new DataFormatException(file, "dimension " + d + " is negative (" + dims[d] + ")");
            }
        }
        return dims;
    }

    private static int checkedSize(Path file, int[] dims) throws DataFormatException {
        long size = 1;
        for (int d : dims) {
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(file, "data of " + Arrays.toString(dims)
                        + " does not fit one Java array");
            }
        }
        return (int) size;
    }

    private interface Sink {
        void accept(byte[] buf, int len, int at);
    }

    private static void readPayload(InputStream in, Path file, int expected, String kind, Sink sink)
            throws IOException {
        byte[] buf = new byte[CHUNK];
        int done = 0;
        while (done < expected) {
            int got = in.readNBytes(buf, 0, Math.min(CHUNK, expected - done));
            if (got == 0) {
                throw new DataFormatException(file, "truncated data: expected " + expected + " bytes of "
                        + kind + " data, file ends after " + done);
            }
            sink.accept(buf, got, done);
            done += got;
        }
        long extra = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            extra += n;
        }
        if (extra > 0) {
            throw new DataFormatException(file, "trailing garbage: " + extra + " bytes after the "
                    + expected + " bytes of " + kind + " data the header declares");
        }
    }
}
