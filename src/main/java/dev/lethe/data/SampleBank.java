package dev.lethe.data;

import java.util.Arrays;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The small per-class subsets of training data that unlearning computes its statistics from
 * (the paper uses 100 training images per retained class).
 *
 * <p>For each class, up to {@code perClass} images are drawn at random from the source
 * dataset, which must be the <em>training</em> part of the {@link Splits} (never validation
 * or test; {@link #of(Splits)} sees to that). A class with fewer images gives all of them.
 *
 * <p>Deterministic: one {@link SplittableRandom} seeded with {@code seed}; for each class in
 * ascending order, {@code rng.split()} gives that class's generator, which takes a partial
 * Fisher-Yates shuffle of the class's indices (ascending); the chosen indices are then sorted
 * ascending. The default seed is {@link #DEFAULT_SEED}; a request can draw its own subset
 * with {@link #reseeded(long)}.
 */
public final class SampleBank {
    public static final int DEFAULT_PER_CLASS = 100;
    /** Seed of the default bank: "BANK" in ASCII. */
    public static final long DEFAULT_SEED = 0x42414E4BL;

    private final Dataset source;
    private final int perClass;
    private final long seed;
    private final int[][] chosen;
    private final Dataset[] byClass;

    private SampleBank(Dataset source, int perClass, long seed) {
        if (perClass < 0) {
            throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
        }
        this.source = source;
        this.perClass = perClass;
        this.seed = seed;
        int numClasses = source.numClasses();
        this.chosen = new int[numClasses][];
        this.byClass = new Dataset[numClasses];
        SplittableRandom root = new SplittableRandom(seed);
        for (int c = 0; c < numClasses; c++) {
            int[] members = source.indicesOfClass(c);
            int k = Math.min(perClass, members.length);
            Splits.partialShuffle(members, k, root.split());
            int[] pick = Arrays.copyOf(members, k);
            Arrays.sort(pick);
            chosen[c] = pick;
        }
    }

    /** Draws up to {@code perClass} images of every class of {@code train}. */
    public static SampleBank draw(Dataset train, int perClass, long seed) {
        return new SampleBank(train, perClass, seed);
    }

    /** The default bank: {@value #DEFAULT_PER_CLASS} per class from {@code splits.train()}. */
    public static SampleBank of(Splits splits) {
        return draw(splits.train(), DEFAULT_PER_CLASS, DEFAULT_SEED);
    }

    /** Another subset of the same source and size, drawn with {@code newSeed}. */
    public SampleBank reseeded(long newSeed) {
        return new SampleBank(source, perClass, newSeed);
    }

    /** The samples of class {@code c}. */
    public Dataset forClass(int c) {
        if (c < 0 || c >= byClass.length) {
            throw new IllegalArgumentException("class " + c + " outside [0, " + byClass.length + ")");
        }
        // The indices of every class are drawn up front (the draws chain through one generator);
        // the pixels are copied only for classes someone asks for: a request that forgets one
        // class should not copy nine others.
        synchronized (byClass) {
            if (byClass[c] == null) {
                byClass[c] = source.select(chosen[c]);
            }
            return byClass[c];
        }
    }

    /**
     * The samples of the given classes, class after class in ascending order (duplicates
     * ignored, so the result does not depend on the collection's iteration order).
     */
    public Dataset forClasses(Collection<Integer> classes) {
        TreeSet<Integer> sorted = new TreeSet<>(classes);
        int n = 0;
        for (int c : sorted) {
            n += forClass(c).size();
        }
        int[] indices = new int[n];
        int k = 0;
        for (int c : sorted) {
            System.arraycopy(chosen[c], 0, indices, k, chosen[c].length);
            k += chosen[c].length;
        }
        return source.select(indices);
    }

    /** Indices into the source dataset of the samples of class {@code c}, ascending. */
    public int[] sourceIndices(int c) {
        forClass(c);
        return chosen[c].clone();
    }

    /** The most samples drawn per class. */
    public int perClass() {
        return perClass;
    }

    public long seed() {
        return seed;
    }

    public int numClasses() {
        return byClass.length;
    }

    @Override
    public String toString() {
        return "SampleBank[" + perClass + " per class, " + byClass.length + " classes, seed " + seed + "]";
    }
}
