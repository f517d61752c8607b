package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
