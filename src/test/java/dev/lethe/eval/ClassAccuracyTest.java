package dev.lethe.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassAccuracyTest {
    // Hand-computed: class 0 -> 3/4, class 1 -> 1/2, class 2 -> 3/4, class 3 has no samples.
    private static final int[] TRUTH = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
    private static final int[] PRED = {0, 0, 1, 0, 1, 0, 2, 2, 2, 7};
    private final ClassAccuracy acc = ClassAccuracy.of(PRED, TRUTH, 4);

    @Test
    void perClassAndOverall() {
        assertArrayEquals(new double[] {0.75, 0.5, 0.75, Double.NaN}, acc.perClass(), 0);
        assertEquals(0.7, acc.overall(), 1e-15);
        assertEquals(10, acc.total());
        assertEquals(2, acc.count(1));
        assertEquals(1, acc.correct(1));
    }

    @Test
    void retainAndForgetAreWeightedBySample() {
        assertEquals(6.0 / 8, acc.retainAccuracy(Set.of(1)), 1e-15);
        assertEquals(0.5, acc.forgetAccuracy(Set.of(1)), 1e-15);
        // A mean of class accuracies would give 0.625 here; per sample it is 4/6.
        assertEquals(4.0 / 6, acc.retainAccuracy(Set.of(2)), 1e-15);
        assertEquals(6.0 / 8, acc.forgetAccuracy(Set.of(0, 2)), 1e-15);
        assertEquals(0.5, acc.retainAccuracy(Set.of(0, 2)), 1e-15);
        assertEquals(0.7, acc.retainAccuracy(Set.of()), 1e-15);
        assertTrue(Double.isNaN(acc.forgetAccuracy(Set.of(3))));
        assertEquals(8, acc.retainCount(Set.of(1)));
        assertEquals(2, acc.forgetCount(Set.of(1)));
    }

    @Test
    void argmaxTiesGoLowAndNanNeverWins() {
        float[] scores = {0.1f, 0.7f, 0.2f, 5f, 5f, 1f, Float.NaN, -3f, -2f};
        assertArrayEquals(new int[] {1, 0, 2}, ClassAccuracy.argmax(scores, 3));
        ClassAccuracy a = ClassAccuracy.fromScores(scores, new int[] {1, 1, 2}, 3);
        assertEquals(2.0 / 3, a.overall(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.argmax(new float[5], 3));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.of(new int[2], new int[3], 2));
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.of(new int[1], new int[] {2}, 2));
    }

    @Test
    void comparisonTable() {
        ClassAccuracy after = ClassAccuracy.of(new int[] {0, 0, 0, 0, 0, 0, 2, 2, 2, 2}, TRUTH, 4);
        String t = ClassAccuracy.comparison(acc, after, List.of("Tee", "Trouser", "Pullover"), Set.of(1));
        String[] lines = t.split("\n");
        assertEquals(9, lines.length, t);
        assertTrue(lines[0].matches("#\\s+class\\s+samples\\s+before\\s+after\\s+change"), lines[0]);
        assertTrue(lines[2].matches("1\\s+Trouser \\*\\s+2\\s+50\\.00%\\s+0\\.00%\\s+-50\\.00"), lines[2]);
        assertTrue(lines[3].matches("2\\s+Pullover\\s+4\\s+75\\.00%\\s+100\\.00%\\s+\\+25\\.00"), lines[3]);
        assertTrue(lines[4].matches("3\\s+class 3\\s+0\\s+-\\s+-\\s+-"), lines[4]);
        assertTrue(lines[5].matches("\\s+retained \\(3\\)\\s+8\\s+75\\.00%\\s+100\\.00%\\s+\\+25\\.00"), lines[5]);
        assertTrue(lines[6].matches("\\s+forgotten \\(1\\)\\s+2\\s+50\\.00%\\s+0\\.00%\\s+-50\\.00"), lines[6]);
        assertTrue(lines[7].matches("\\s+all\\s+10\\s+70\\.00%\\s+80\\.00%\\s+\\+10\\.00"), lines[7]);
        assertEquals("* forgotten class; change in percentage points", lines[8]);
        int width = lines[0].length();
        for (int i = 1; i < 8; i++) {
            assertEquals(width, lines[i].length(), "columns line up:\n" + t);
        }
    }

    @Test
    void comparisonNeedsTheSameTestSet() {
        ClassAccuracy other = ClassAccuracy.of(new int[] {0}, new int[] {0}, 4);
        assertThrows(IllegalArgumentException.class, () -> ClassAccuracy.comparison(acc, other, null, Set.of()));
    }

    @Test
    void singleTable() {
        String t = acc.table(List.of("a", "b", "c", "d"));
        assertTrue(t.contains("75.00%") && t.contains("all"), t);
        assertEquals(6, t.split("\n").length, t);
    }
}
