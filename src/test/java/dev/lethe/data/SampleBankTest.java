package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleBankTest {
    // numbered(): every pixel of image i equals i, its index in the full training set.
    private final Splits splits = Splits.of(DatasetTest.numbered(400, 10), DatasetTest.numbered(20, 10),
            new Splits.Spec(10, 5));

    @Test
    void drawsTheRightCountsOfEachClassOnlyFromTrain() {
        SampleBank bank = SampleBank.draw(splits.train(), 12, 77);
        Set<Integer> validation = new HashSet<>();
        for (int i : splits.validationIndices()) {
            validation.add(i);
        }
        for (int c = 0; c < 10; c++) {
            Dataset d = bank.forClass(c);
            assertEquals(12, d.size());
            Set<Integer> seen = new HashSet<>();
            for (int k = 0; k < d.size(); k++) {
                assertEquals(c, d.label(k));
                int original = (int) d.image(k)[0];
                assertEquals(c, original % 10, "image comes from class " + c + " of the full set");
                assertFalse(validation.contains(original), "sample " + original + " is in the validation split");
                assertTrue(seen.add(original), "no image drawn twice");
            }
            int[] src = bank.sourceIndices(c);
            for (int k = 0; k < src.length; k++) {
                assertEquals(splits.trainIndices()[src[k]], (int) d.image(k)[0]);
            }
        }
    }

    @Test
    void defaultBankFromSplits() {
        SampleBank bank = SampleBank.of(splits);
        assertEquals(100, bank.perClass());
        assertEquals(SampleBank.DEFAULT_SEED, bank.seed());
        // Only 30 training images per class here: a class smaller than perClass gives all of them.
        assertEquals(30, bank.forClass(4).size());
        assertEquals(10, bank.numClasses());
    }

    @Test
    void forClassesConcatenatesInAscendingClassOrder() {
        SampleBank bank = SampleBank.draw(splits.train(), 4, 1);
        Set<Integer> order1 = new LinkedHashSet<>(List.of(7, 2, 5));
        Set<Integer> order2 = new LinkedHashSet<>(List.of(5, 7, 2, 2));
        Dataset a = bank.forClasses(order1);
        Dataset b = bank.forClasses(List.of(5, 7, 2, 2));
        assertEquals(12, a.size());
        assertArrayEquals(new int[] {2, 2, 2, 2, 5, 5, 5, 5, 7, 7, 7, 7}, a.labels());
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.pixels(), bank.forClasses(order2).pixels());
        assertArrayEquals(bank.forClass(5).pixels(),
                Arrays.copyOfRange(a.pixels(), 4 * a.imageSize(), 8 * a.imageSize()));
        assertEquals(0, bank.forClasses(Set.of()).size());
    }

    @Test
    void seededAndReseedable() {
        SampleBank a = SampleBank.draw(splits.train(), 5, 123);
        SampleBank b = SampleBank.draw(splits.train(), 5, 123);
        SampleBank c = a.reseeded(124);
        for (int k = 0; k < 10; k++) {
            assertArrayEquals(a.sourceIndices(k), b.sourceIndices(k));
        }
        assertEquals(124, c.seed());
        assertEquals(5, c.forClass(3).size());
        boolean differs = false;
        for (int k = 0; k < 10; k++) {
            differs |= !Arrays.equals(a.sourceIndices(k), c.sourceIndices(k));
        }
        assertTrue(differs, "another seed draws another subset");
        assertArrayEquals(a.sourceIndices(6), c.reseeded(123).sourceIndices(6));
    }

    @Test
    void unknownClass() {
        SampleBank bank = SampleBank.draw(splits.train(), 2, 1);
        assertThrows(IllegalArgumentException.class, () -> bank.forClass(10));
        assertThrows(IllegalArgumentException.class, () -> bank.forClasses(List.of(1, -1)));
    }
}
