package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Fashion-MNIST through the built-in spec gives the floats, splits and sample bank that every
 * existing model and request was computed from.
 */
class BuiltInDefaultTest {
    /**
     * {@link #digest} of {@code FashionMnist.load(FashionMnist.locate(null))} as main computed it
     * at e8176bc, before datasets had channels or specs (the Debian package's files).
     */
    private static final String BEFORE_SPECS = "299c87683a6ab6034d6f4f6b37426f98007a3e93998ed45b03da8b28e2a5fa18";

    @Test
    void theDefaultSpecGivesTheSameFloatsSplitsAndBankAsBefore() throws Exception {
        Path dir = TestDirs.fashionMnist();
        Splits s = Datasets.load(FashionMnist.spec(dir));
        assertEquals(BEFORE_SPECS, digest(s));
        assertSame(s, FashionMnist.load(dir), "FashionMnist.load is the cached spec load");
        assertEquals(1, s.train().channels());
    }

    @Test
    void testPixelsAreTheFileBytesOver255() throws IOException {
        Path dir = TestDirs.fashionMnist();
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("t10k-images-idx3-ubyte.gz")))) {
            raw = in.readAllBytes();
        }
        float[] px = Datasets.load(FashionMnist.spec(dir)).test().pixels();
        assertEquals(raw.length - 16, px.length);
        for (int i = 0; i < px.length; i++) {
            if (Float.floatToRawIntBits(px[i]) != Float.floatToRawIntBits((raw[16 + i] & 0xff) / 255f)) {
                throw new AssertionError("pixel " + i + ": " + px[i] + " is not byte " + (raw[16 + i] & 0xff) + " / 255f");
            }
        }
    }

    /** Pixels as raw float bits, labels, class counts, shapes, split indices and the default bank. */
    static String digest(Splits s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Dataset d : List.of(s.train(), s.validation(), s.test())) {
            float[] p = d.pixels();
            ByteBuffer b = ByteBuffer.allocate(p.length * 4);
            for (float f : p) {
                b.putInt(Float.floatToRawIntBits(f));
            }
            md.update(b.array());
            ByteBuffer l = ByteBuffer.allocate(d.size() * 4 + 8);
            for (int x : d.labels()) {
                l.putInt(x);
            }
            l.putInt(d.numClasses()).putInt(d.rows() * 1000 + d.cols());
            md.update(l.array());
        }
        for (int[] idx : List.of(s.trainIndices(), s.validationIndices())) {
            ByteBuffer l = ByteBuffer.allocate(idx.length * 4);
            for (int x : idx) {
                l.putInt(x);
            }
            md.update(l.array());
        }
        SampleBank bank = SampleBank.of(s);
        for (int c = 0; c < s.train().numClasses(); c++) {
            for (int x : bank.sourceIndices(c)) {
                md.update(ByteBuffer.allocate(4).putInt(x).array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
