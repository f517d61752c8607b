package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private final Dataset full = DatasetTest.numbered(400, 10); // 40 per class
    private final Dataset test = DatasetTest.numbered(20, 10);

    @Test
    void stratifiedDisjointAndCovering() {
        Splits s = Splits.of(full, test, new Splits.Spec(7, 42));
        int[] v = s.validationIndices();
        int[] t = s.trainIndices();
        assertEquals(70, v.length);
        assertEquals(330, t.length);
        assertArrayEquals(new int[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, s.validation().classCounts());
        assertArrayEquals(new int[] {33, 33, 33, 33, 33, 33, 33, 33, 33, 33}, s.train().classCounts());

        int[] union = new int[400];
        for (int i : v) {
            union[i]++;
        }
        for (int i : t) {
            union[i]++;
        }
        assertTrue(Arrays.stream(union).allMatch(k -> k == 1), "every image in exactly one split");
        assertTrue(isAscending(v) && isAscending(t));
    }

    @Test
    void splitDatasetsHoldTheIndexedImages() {
        Splits s = Splits.of(full, test, new Splits.Spec(3, 1));
        int[] v = s.validationIndices();
        for (int k = 0; k < v.length; k++) {
            assertEquals(v[k], s.validation().image(k)[0], 0f); // numbered(): pixel value = original index
            assertEquals(full.label(v[k]), s.validation().label(k));
        }
        int[] t = s.trainIndices();
        for (int k = 0; k < t.length; k++) {
            assertEquals(t[k], s.train().image(k)[0], 0f);
        }
        assertSame(test, s.test(), "the test set passes through untouched");
        assertEquals(10, s.train().numClasses());
    }

    @Test
    void deterministicPerSeed() {
        Splits a = Splits.of(full, test, new Splits.Spec(5, 99));
        Splits b = Splits.of(full, test, new Splits.Spec(5, 99));
        Splits c = Splits.of(full, test, new Splits.Spec(5, 100));
        assertArrayEquals(a.validationIndices(), b.validationIndices());
        assertArrayEquals(a.trainIndices(), b.trainIndices());
        assertFalse(Arrays.equals(a.validationIndices(), c.validationIndices()));
    }

    @Test
    void pinnedIndicesForTheDefaultSeed() {
        // Guards the documented procedure: a changed shuffle would silently change every split.
        Splits s = Splits.of(full, test, new Splits.Spec(2, Splits.DEFAULT_SEED));
        assertArrayEquals(new int[] {23, 71, 107, 126, 150, 171, 178, 187, 202, 239, 264, 275, 294, 296, 339,
                348, 363, 375, 380, 392}, s.validationIndices());
    }

    @Test
    void defaultSpec() {
        assertEquals(500, Splits.Spec.DEFAULT.validationPerClass());
        assertEquals(0x4C45544845L, Splits.Spec.DEFAULT.seed());
    }

    @Test
    void zeroHeldOutKeepsEverything() {
        Splits s = Splits.of(full, test, new Splits.Spec(0, 1));
        assertEquals(400, s.train().size());
        assertEquals(0, s.validation().size());
    }

    @Test
    void tooFewImagesOfAClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.of(full, test, new Splits.Spec(41, 1)));
        assertTrue(e.getMessage().contains("class 0 has 40"), e.getMessage());
    }

    private static boolean isAscending(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
