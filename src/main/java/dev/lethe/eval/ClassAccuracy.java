package dev.lethe.eval;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Accuracy per class, overall, on the retained classes ({@code ACC_r}) and on the forgotten
 * ones ({@code ACC_f}), as fractions in [0, 1]. Retain and forget accuracies are weighted by
 * sample (correct / samples over the classes concerned), not a mean of per-class accuracies.
 * A class or group without samples has accuracy NaN.
 */
public final class ClassAccuracy {
    private final int[] counts;
    private final int[] correct;

    private ClassAccuracy(int[] counts, int[] correct) {
        this.counts = counts;
        this.correct = correct;
    }

    /**
     * Counts hits of {@code predicted} against {@code truth}. True labels must lie in
     * [0, numClasses); a predicted label outside that range is simply wrong.
     */
    public static ClassAccuracy of(int[] predicted, int[] truth, int numClasses) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + truth.length + " labels");
        }
        int[] counts = new int[numClasses];
        int[] correct = new int[numClasses];
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            if (t < 0 || t >= numClasses) {
                throw new IllegalArgumentException("true label " + t + " of sample " + i + " outside [0, "
                        + numClasses + ")");
            }
            counts[t]++;
            if (predicted[i] == t) {
                correct[t]++;
            }
        }
        return new ClassAccuracy(counts, correct);
    }

    /** Accuracy of the arg-max of {@code scores}, row-major {@code truth.length x numClasses}. */
    public static ClassAccuracy fromScores(float[] scores, int[] truth, int numClasses) {
        return of(argmax(scores, numClasses), truth, numClasses);
    }

    /**
     * Row-wise arg-max of row-major scores (logits or probabilities) with {@code width}
     * columns. Ties go to the lowest class; NaN never wins (a row of NaN gives class 0).
     */
    public static int[] argmax(float[] scores, int width) {
        if (width <= 0 || scores.length % width != 0) {
            throw new IllegalArgumentException(scores.length + " scores are not rows of " + width);
        }
        int[] out = new int[scores.length / width];
        for (int r = 0; r < out.length; r++) {
            int base = r * width;
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                float s = scores[base + c];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    public int numClasses() {
        return counts.length;
    }

    /** Samples whose true class is {@code c}. */
    public int count(int c) {
        return counts[c];
    }

    /** Samples of class {@code c} predicted as {@code c}. */
    public int correct(int c) {
        return correct[c];
    }

    public int total() {
        int n = 0;
        for (int k : counts) {
            n += k;
        }
        return n;
    }

    /** Accuracy of each class, NaN for a class without samples. */
    public double[] perClass() {
        double[] out = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            out[c] = ratio(correct[c], counts[c]);
        }
        return out;
    }

    public double perClass(int c) {
        return ratio(correct[c], counts[c]);
    }

    public double overall() {
        return group(null, true);
    }

    /** {@code ACC_r}: accuracy over all samples whose true class is not in {@code forgotten}. */
    public double retainAccuracy(Set<Integer> forgotten) {
        return group(forgotten, false);
    }

    /** {@code ACC_f}: accuracy over all samples whose true class is in {@code forgotten}. */
    public double forgetAccuracy(Set<Integer> forgotten) {
        return group(forgotten, true);
    }

    /** Samples whose true class is not in {@code forgotten}. */
    public int retainCount(Set<Integer> forgotten) {
        return groupCount(forgotten, false);
    }

    /** Samples whose true class is in {@code forgotten}. */
    public int forgetCount(Set<Integer> forgotten) {
        return groupCount(forgotten, true);
    }

    private double group(Set<Integer> classes, boolean inside) {
        int n = 0;
        int hit = 0;
        for (int c = 0; c < counts.length; c++) {
            if (classes == null || classes.contains(c) == inside) {
                n += counts[c];
                hit += correct[c];
            }
        }
        return ratio(hit, n);
    }

    private int groupCount(Set<Integer> classes, boolean inside) {
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            if (classes.contains(c) == inside) {
                n += counts[c];
            }
        }
        return n;
    }

    private static double ratio(int hit, int n) {
        return n == 0 ? Double.NaN : (double) hit / n;
    }

    /** A plain-text table of this accuracy per class, named by {@code labels} where given. */
    public String table(List<String> labels) {
        return AccuracyTable.single(this, labels);
    }

    /**
     * A plain-text table of accuracies per class before and after unlearning, with the change
     * in points, forgotten classes marked, and retain / forget / overall rows. Both must count
     * the same samples per class (the same test set).
     */
    public static String comparison(ClassAccuracy before, ClassAccuracy after, List<String> labels,
            Set<Integer> forgotten) {
        return AccuracyTable.comparison(before, after, labels, forgotten);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClassAccuracy[%d samples, %d classes, overall %.4f]", total(),
                counts.length, overall());
    }
}
