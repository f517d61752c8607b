package dev.lethe.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Train, validation and test data. The validation split is held out of the <em>training</em>
 * set (hyper-parameters are never tuned on the test set): {@code validationPerClass} images of
 * every class, chosen at random with a fixed seed; the rest of the training set is
 * {@link #train()}; the test set is passed through untouched.
 *
 * <p>The default, {@link Spec#DEFAULT}, holds out 500 images per class (5,000 of
 * Fashion-MNIST's 60,000) with seed {@link #DEFAULT_SEED} = {@code 0x4C45544845L}, the
 * ASCII bytes of "LETHE". For smaller data, {@link Spec#forSmallestClass} holds out a tenth
 * of the smallest class instead (CIFAR-100's 500 a class: 50).
 *
 * <p>The choice is deterministic: one {@link SplittableRandom} seeded with the spec's seed;
 * for each class in ascending order, {@code rng.split()} gives that class's generator, which
 * runs a partial Fisher-Yates shuffle over the class's indices (ascending) and takes the
 * first {@code validationPerClass}. Both index lists are then sorted ascending, so the
 * splits keep the original order of the training set. Same data and spec, same indices.
 */
public final class Splits {
    /** "LETHE" in ASCII: the seed of the default validation split. */
    public static final long DEFAULT_SEED = 0x4C45544845L;
    public static final int DEFAULT_VALIDATION_PER_CLASS = 500;

    /** How to hold out the validation split. */
    public record Spec(int validationPerClass, long seed) {
        public static final Spec DEFAULT = new Spec(DEFAULT_VALIDATION_PER_CLASS, DEFAULT_SEED);

        /**
         * The default for a training set whose smallest class has {@code n} images: 500 a class,
         * or a tenth of {@code n} when that is fewer, and at least 1.
         */
        public static Spec forSmallestClass(int n) {
            return new Spec(Math.min(DEFAULT_VALIDATION_PER_CLASS, Math.max(1, n / 10)), DEFAULT_SEED);
        }

        public Spec {
            if (validationPerClass < 0) {
                throw new IllegalArgumentException("validationPerClass must be >= 0, got " + validationPerClass);
            }
        }
    }

    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final int[] trainIndices;
    private final int[] validationIndices;
    private final Spec spec;

    private Splits(Dataset fullTrain, Dataset test, int[] trainIndices, int[] validationIndices, Spec spec) {
        this.train = fullTrain.select(trainIndices);
        this.validation = fullTrain.select(validationIndices);
        this.test = test;
        this.trainIndices = trainIndices;
        this.validationIndices = validationIndices;
        this.spec = spec;
    }

    /**
     * Splits {@code fullTrain} per {@code spec}. Every class must have at least
     * {@code validationPerClass} images.
     */
    public static Splits of(Dataset fullTrain, Dataset test, Spec spec) {
        int k = spec.validationPerClass();
        int numClasses = fullTrain.numClasses();
        SplittableRandom root = new SplittableRandom(spec.seed());
        int[] validation = new int[k * numClasses];
        for (int c = 0; c < numClasses; c++) {
            int[] members = fullTrain.indicesOfClass(c);
            if (members.length < k) {
                throw new IllegalArgumentException("class " + c + " has " + members.length
                        + " training images, fewer than the " + k + " the validation split holds out");
            }
            partialShuffle(members, k, root.split());
            System.arraycopy(members, 0, validation, c * k, k);
        }
        Arrays.sort(validation);
        boolean[] held = new boolean[fullTrain.size()];
        for (int i : validation) {
            held[i] = true;
        }
        int[] train = new int[fullTrain.size() - validation.length];
        int t = 0;
        for (int i = 0; i < held.length; i++) {
            if (!held[i]) {
                train[t++] = i;
            }
        }
        return new Splits(fullTrain, test, train, validation, spec);
    }

    /** Shuffles so that {@code a[0..k)} is a uniform random {@code k}-subset of {@code a}. */
    static void partialShuffle(int[] a, int k, SplittableRandom rng) {
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(a.length - i);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    /** The training set less the validation split. */
    public Dataset train() {
        return train;
    }

    public Dataset validation() {
        return validation;
    }

    public Dataset test() {
        return test;
    }

    /** For each image of {@link #train()}, its index in the full training set (ascending). */
    public int[] trainIndices() {
        return trainIndices.clone();
    }

    /** For each image of {@link #validation()}, its index in the full training set (ascending). */
    public int[] validationIndices() {
        return validationIndices.clone();
    }

    @Override
    public String toString() {
        return "Splits[train " + train.size() + ", validation " + validation.size() + ", test " + test.size()
                + ", " + spec + "]";
    }
}
