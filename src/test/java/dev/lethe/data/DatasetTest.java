package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetTest {
    /** {@code n} images of 2x3 pixels; image {@code i} is filled with {@code i}; label {@code i mod k}. */
    static Dataset numbered(int n, int k) {
        float[] p = new float[n * 6];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(p, i * 6, i * 6 + 6, i);
            l[i] = i % k;
        }
        return new Dataset(p, l, 2, 3);
    }

    @Test
    void shapeAndImages() {
        Dataset d = numbered(7, 3);
        assertEquals(7, d.size());
        assertEquals(6, d.imageSize());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new float[] {4, 4, 4, 4, 4, 4}, d.image(4));
        d.image(4)[0] = -1;
        assertEquals(4f, d.image(4)[0], "image() hands out a copy");
        assertArrayEquals(new int[] {3, 2, 2}, d.classCounts());
    }

    @Test
    void selectKeepsGivenOrderAndClassCount() {
        Dataset d = numbered(7, 3);
        Dataset s = d.select(new int[] {5, 0, 5});
        assertEquals(3, s.size());
        assertArrayEquals(new int[] {2, 0, 2}, s.labels());
        assertEquals(5f, s.image(0)[0]);
        assertEquals(0f, s.image(1)[5]);
        assertEquals(5f, s.image(2)[3]);
        assertEquals(3, d.select(new int[] {0}).numClasses());
        assertThrows(IndexOutOfBoundsException.class, () -> d.select(new int[] {7}));
    }

    @Test
    void indicesOfClassAscending() {
        Dataset d = numbered(8, 3);
        assertArrayEquals(new int[] {1, 4, 7}, d.indicesOfClass(1));
        assertArrayEquals(new int[0], d.indicesOfClass(5));
    }

    @Test
    void explicitClassCount() {
        Dataset d = new Dataset(new float[2], new int[] {0, 1}, 1, 1, 10);
        assertEquals(10, d.numClasses());
        assertEquals(0, new Dataset(new float[0], new int[0], 1, 1).numClasses());
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[5], new int[] {0}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[0], new int[0], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[1], new int[] {-1}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[1], new int[] {4}, 1, 1, 4));
    }

    @Test
    void concatKeepsOrderAndRefusesMismatchedSizes() {
        Dataset a = new Dataset(new float[] {1, 2, 3, 4}, new int[] {0}, 2, 2, 3);
        Dataset b = new Dataset(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, new int[] {2, 1}, 2, 2);
        Dataset ab = Dataset.concat(a, b);
        assertArrayEquals(new int[] {0, 2, 1}, ab.labels());
        assertArrayEquals(new float[] {5, 6, 7, 8}, ab.image(1));
        assertEquals(3, ab.numClasses());
        Dataset wide = new Dataset(new float[] {1, 2, 3}, new int[] {0}, 1, 3);
        assertThrows(IllegalArgumentException.class, () -> Dataset.concat(a, wide));
    }

    @Test
    void eightBitPixelsReadAsTheirValueOver255() {
        byte[] px = ImageFitTest.bytes(0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Dataset d = Dataset.ofBytes(px, new int[] {1, 0}, 3, 1, 2, 2);
        assertEquals(6, d.imageSize());
        assertEquals(3, d.channels());
        assertTrue(d.isEightBit());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f, 2 / 255f, 3 / 255f}, d.image(0));
        assertArrayEquals(new byte[] {4, 5, 6, 7, 8, 9}, d.imageBytes(1));
        assertEquals("Dataset[2 images 3x1x2, 2 classes]", d.toString());
    }

    @Test
    void batchFollowsTheOrderAndMatchesSelect() {
        byte[] px = new byte[5 * 2 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 13);
        }
        Dataset d = Dataset.ofBytes(px, new int[] {0, 1, 2, 0, 1}, 2, 2, 2, 3);
        int[] order = {4, 0, 3, 3};
        assertArrayEquals(d.select(new int[] {0, 3}).pixels(), d.batch(order, 1, 3));
        assertArrayEquals(d.select(new int[] {1, 2}).pixels(), d.batch(null, 1, 3));
        assertTrue(d.select(order).isEightBit(), "select keeps 8-bit storage");
        assertEquals(2, d.select(order).channels());
    }

    @Test
    void concatOfEightBitStaysEightBitAndMixedBecomesFloat() {
        Dataset a = Dataset.ofBytes(ImageFitTest.bytes(1, 2), new int[] {0}, 1, 1, 2, 2);
        Dataset b = Dataset.ofBytes(ImageFitTest.bytes(3, 4), new int[] {1}, 1, 1, 2, 2);
        Dataset f = new Dataset(new float[] {0.5f, 0.25f}, new int[] {1}, 1, 2);
        assertTrue(Dataset.concat(a, b).isEightBit());
        assertArrayEquals(new byte[] {3, 4}, Dataset.concat(a, b).imageBytes(1));
        Dataset mixed = Dataset.concat(a, f);
        assertFalse(mixed.isEightBit());
        assertArrayEquals(new float[] {1 / 255f, 2 / 255f, 0.5f, 0.25f}, mixed.pixels());
        assertThrows(UnsupportedOperationException.class, () -> mixed.imageBytes(0));
        Dataset rgb = Dataset.ofBytes(new byte[6], new int[] {0}, 3, 1, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> Dataset.concat(a, rgb), "channels differ");
    }

    @Test
    void shapeMustMatchThePixelCount() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofBytes(new byte[11], new int[] {0, 0}, 3, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofBytes(new byte[0], new int[0], 0, 1, 2, 1));
    }
}
