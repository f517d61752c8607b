package dev.lethe.data;

import static dev.lethe.data.IdxFiles.idx;
import static dev.lethe.data.IdxFiles.pixelBytes;
import static dev.lethe.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void imagesRoundTripScaledToUnitInterval(boolean gzip) throws IOException {
        byte[] data = pixelBytes(5 * 4 * 3);
        Path file = write(dir.resolve("images"), idx(new int[] {5, 4, 3}, data), gzip);

        IdxReader.Images images = IdxReader.readImages(file);

        assertEquals(5, images.count());
        assertEquals(4, images.rows());
        assertEquals(3, images.cols());
        assertEquals(60, images.pixels().length);
        for (int i = 0; i < data.length; i++) {
            assertEquals((data[i] & 0xff) / 255f, images.pixels()[i], "pixel " + i);
        }
    }

    @Test
    void extremePixelValuesMapToZeroAndOne() throws IOException {
        Path file = write(dir.resolve("images"), idx(new int[] {1, 1, 3}, new byte[] {0, (byte) 255, (byte) 128}),
                false);
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f}, IdxReader.readImages(file).pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void labelsRoundTrip(boolean gzip) throws IOException {
        byte[] labels = {3, 0, 9, (byte) 200, 1};
        Path file = write(dir.resolve("labels"), idx(new int[] {5}, labels), gzip);
        assertArrayEquals(new int[] {3, 0, 9, 200, 1}, IdxReader.readLabels(file));
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        byte[] raw = idx(new int[] {3}, new byte[] {1, 2, 3});
        Path gzNamedPlain = write(dir.resolve("labels.idx"), raw, true);
        Path plainNamedGz = write(dir.resolve("labels.gz"), raw, false);
        assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(gzNamedPlain));
        assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(plainNamedGz));
    }

    @Test
    void readDatasetPairsImagesWithLabels() throws IOException {
        Path images = write(dir.resolve("img"), idx(new int[] {2, 2, 2}, pixelBytes(8)), true);
        Path labels = write(dir.resolve("lab"), idx(new int[] {2}, new byte[] {4, 1}), false);
        Dataset d = IdxReader.readDataset(images, labels);
        assertEquals(2, d.size());
        assertEquals(2, d.rows());
        assertArrayEquals(new int[] {4, 1}, d.labels());
        assertEquals(5, d.numClasses());
    }

    @Test
    void readDatasetRejectsCountMismatch() throws IOException {
        Path images = write(dir.resolve("img"), idx(new int[] {2, 2, 2}, pixelBytes(8)), false);
        Path labels = write(dir.resolve("lab"), idx(new int[] {3}, new byte[] {4, 1, 0}), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readDataset(images, labels));
        assertMentions(e, labels, "3 labels", "2 images");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedMagic(boolean gzip) throws IOException {
        Path file = write(dir.resolve("short"), new byte[] {0, 0}, gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "truncated header", "after 2 bytes");
    }

    @Test
    void emptyFileIsATruncatedHeader() throws IOException {
        Path file = Files.write(dir.resolve("empty"), new byte[0]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "truncated header", "after 0 bytes");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedDimensions(boolean gzip) throws IOException {
        byte[] full = idx(new int[] {10, 28, 28}, new byte[0]);
        Path file = write(dir.resolve("hdr"), Arrays.copyOf(full, 10), gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "truncated header", "expected 16 header bytes", "after 10");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedData(boolean gzip) throws IOException {
        byte[] full = idx(new int[] {2, 4, 3}, pixelBytes(24));
        Path file = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 14), gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "expected 24 bytes of pixel data, file ends after 10");
    }

    @Test
    void truncatedLabels() throws IOException {
        byte[] full = idx(new int[] {5}, new byte[] {1, 2, 3, 4, 5});
        Path file = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 2), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "expected 5 bytes of label data, file ends after 3");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] raw = idx(new int[] {1}, new byte[] {1});
        raw[0] = 0x50;
        raw[1] = 0x4b;
        Path file = write(dir.resolve("zip"), raw, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "not an IDX file", "0x504b0801");
    }

    @Test
    void unsupportedElementType() throws IOException {
        byte[] raw = idx(new int[] {1}, new byte[] {0, 0, 0, 0});
        raw[2] = 0x0D;
        Path file = write(dir.resolve("floats"), raw, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "unsupported IDX element type 0x0d");
    }

    @Test
    void labelFileReadAsImagesNamesTheDimensionMismatch() throws IOException {
        Path file = write(dir.resolve("labels"), idx(new int[] {2}, new byte[] {1, 2}), true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "expected 3 dimension(s) for images", "declares 1");
    }

    @Test
    void corruptGzipBody() throws IOException {
        byte[] gz = IdxFiles.gzip(idx(new int[] {20, 10, 10}, pixelBytes(2000)));
        for (int i = 12; i < gz.length - 8; i += 3) {
            gz[i] ^= (byte) 0x5a;
        }
        Path file = Files.write(dir.resolve("bad.gz"), gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "corrupt gzip");
    }

    @Test
    void corruptGzipChecksum() throws IOException {
        byte[] gz = IdxFiles.gzip(idx(new int[] {3}, new byte[] {1, 2, 3}));
        gz[gz.length - 8] ^= 1; // CRC32 of the trailer
        Path file = Files.write(dir.resolve("crc.gz"), gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "corrupt gzip");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] gz = IdxFiles.gzip(idx(new int[] {20, 10, 10}, pixelBytes(2000)));
        Path file = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertMentions(e, file, "corrupt gzip");
    }

    @Test
    void gzipHeaderWithBadMethod() throws IOException {
        byte[] gz = IdxFiles.gzip(idx(new int[] {3}, new byte[] {1, 2, 3}));
        gz[2] = 7; // compression method: only 8 (deflate) exists
        Path file = Files.write(dir.resolve("method.gz"), gz);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "corrupt gzip");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void trailingGarbage(boolean gzip) throws IOException {
        byte[] raw = idx(new int[] {3}, new byte[] {1, 2, 3, 9, 9});
        Path file = write(dir.resolve("long"), raw, gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertMentions(e, file, "trailing garbage", "2 bytes");
    }

    @Test
    void missingFileIsAnIoError() {
        Path file = dir.resolve("absent");
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    static void assertMentions(DataFormatException e, Path file, String... fragments) {
        String m = e.getMessage();
        assertEquals(file, e.file());
        assertTrue(m.contains(file.toString()), "message should name the file: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
        }
    }
}
