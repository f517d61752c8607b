package dev.lethe.data;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/** Sets of class indices: the one rule for "every class the model still predicts". */
public final class Classes {
    private Classes() { }

    /** {@code 0..numClasses-1} without {@code forgotten}, ascending (the order every caller iterates in). */
    public static SortedSet<Integer> retained(int numClasses, Collection<Integer> forgotten) {
        SortedSet<Integer> out = new TreeSet<>();
        for (int c = 0; c < numClasses; c++) {
            if (!forgotten.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
