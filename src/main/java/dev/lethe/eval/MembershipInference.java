package dev.lethe.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * The membership-inference efficacy of the paper's protocol (Kodge et al., "How results are
 * judged" in docs/ALGORITHM.md). The attack's only feature is the probability the model gives
 * to a sample's true label. An RBF C-SVC is fit on retained-class <em>training</em> samples
 * (label 1, member) against forgotten-class <em>training</em> samples (label 0, non-member);
 * the efficacy is the fraction of forgotten-class <em>test</em> samples it calls non-members.
 * Higher is better; a model retrained without the class scores about 1.
 *
 * <p>The attack is fit on at most {@code maxSamples} training samples (default
 * {@value #DEFAULT_MAX_SAMPLES}), a seeded uniform subsample of each side that keeps the two
 * sides' proportions (for one forgotten Fashion-MNIST class: 49,500 to 5,500 becomes 3,600 to
 * 400). The cap keeps the fit near a second: LIBSVM's cost grows about quadratically with the
 * samples. The proportions matter: where the model scores its forgotten class exactly like the
 * retained ones (an untouched model), the attack cannot separate the two and falls back on the
 * larger side, "member", so the efficacy is near 0 as on the full sets (with more classes
 * forgotten than kept the larger side is "non-member": read the efficacy together with
 * {@link Result#attackTrainAccuracy()} then). Balanced sides leave that case to rounding: in
 * our trials, indistinguishable sides gave efficacies anywhere from 0.01 to 1.0.
 * The test side is not capped. Callers that score only a sample of the training set should
 * therefore draw the same number of images per class on both sides, not equal-sized sides.
 *
 * <p>Deterministic: the subsample comes from a {@link SplittableRandom} of the given seed
 * (one {@code split()} for the retain side, then one for the forget side; partial
 * Fisher-Yates, indices sorted ascending), and LIBSVM's C-SVC training without probability
 * estimates uses no randomness. Same inputs and seed, same result.
 */
public final class MembershipInference {
    // The protocol's attack: sklearn SVC(kernel="rbf", C=3, gamma="auto"), where "auto" is
    // 1 / n_features; the feature vector is the single true-label probability, so gamma = 1.
    public static final int KERNEL = svm_parameter.RBF;
    public static final double C = 3.0;
    public static final int NUM_FEATURES = 1;
    public static final double GAMMA = 1.0 / NUM_FEATURES;
    /** LIBSVM's stopping tolerance; sklearn's default {@code tol}. */
    static final double EPS = 1e-3;
    static final double CACHE_MB = 100;

    public static final int DEFAULT_MAX_SAMPLES = 4_000;
    /** Default subsampling seed: "MIA" in ASCII. */
    public static final long DEFAULT_SEED = 0x4D4941L;

    private static final double MEMBER = 1;
    private static final double NON_MEMBER = 0;

    static {
        svm.svm_set_print_string_function(s -> { });
    }

    /**
     * What the attack saw and concluded.
     *
     * @param efficacy fraction of forgotten-class test samples called non-members
     * @param retainTrainUsed member samples the attack was fit on
     * @param forgetTrainUsed non-member samples the attack was fit on
     * @param forgetTestCount forgotten-class test samples scored
     * @param attackTrainAccuracy the attack's accuracy on its own training samples; the larger
     *     side's share (0.9 with one class of ten forgotten) means it found nothing that separates
     *     retained from forgotten training samples and calls everything a member
     */
    public record Result(double efficacy, int retainTrainUsed, int forgetTrainUsed, int forgetTestCount,
            double attackTrainAccuracy) {}

    private MembershipInference() {}

    /** {@link #efficacy(double[], double[], double[], long, int)} with the default seed and cap. */
    public static Result efficacy(double[] retainTrainProb, double[] forgetTrainProb, double[] forgetTestProb) {
        return efficacy(retainTrainProb, forgetTrainProb, forgetTestProb, DEFAULT_SEED, DEFAULT_MAX_SAMPLES);
    }

    /**
     * Fits the attack and scores the forgotten-class test samples.
     *
     * @param retainTrainProb true-label probabilities of retained-class training samples
     * @param forgetTrainProb true-label probabilities of forgotten-class training samples
     * @param forgetTestProb true-label probabilities of forgotten-class test samples
     * @param seed seed of the subsample of each training side
     * @param maxSamples most training samples (both sides together) the attack is fit on
     */
    public static Result efficacy(double[] retainTrainProb, double[] forgetTrainProb, double[] forgetTestProb,
            long seed, int maxSamples) {
        check("retainTrainProb", retainTrainProb);
        check("forgetTrainProb", forgetTrainProb);
        check("forgetTestProb", forgetTestProb);
        if (maxSamples < 2) {
            throw new IllegalArgumentException("maxSamples must be at least 2, got " + maxSamples);
        }
        int retainQuota = retainQuota(retainTrainProb.length, forgetTrainProb.length, maxSamples);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] members = subsample(retainTrainProb, retainQuota, rng.split());
        double[] nonMembers = subsample(forgetTrainProb, maxSamples - retainQuota, rng.split());
        svm_model attack = fit(members, nonMembers);

        int hits = 0;
        for (double p : members) {
            hits += predict(attack, p) == MEMBER ? 1 : 0;
        }
        for (double p : nonMembers) {
            hits += predict(attack, p) == NON_MEMBER ? 1 : 0;
        }
        int calledNonMember = 0;
        for (double p : forgetTestProb) {
            calledNonMember += predict(attack, p) == NON_MEMBER ? 1 : 0;
        }
        return new Result((double) calledNonMember / forgetTestProb.length, members.length, nonMembers.length,
                forgetTestProb.length, (double) hits / (members.length + nonMembers.length));
    }

    /**
     * The softmax probability of each sample's true label, from row-major logits
     * ({@code labels.length x numClasses}); computed in double, shifted by the row maximum.
     */
    public static double[] trueClassProbabilities(float[] logits, int[] labels, int numClasses) {
        if (logits.length != (long) labels.length * numClasses) {
            throw new IllegalArgumentException(logits.length + " logits are not " + labels.length + " rows of "
                    + numClasses);
        }
        double[] out = new double[labels.length];
        for (int r = 0; r < labels.length; r++) {
            int base = r * numClasses;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < numClasses; c++) {
                max = Math.max(max, logits[base + c]);
            }
            double sum = 0;
            for (int c = 0; c < numClasses; c++) {
                sum += Math.exp(logits[base + c] - max);
            }
            out[r] = Math.exp(logits[base + labels[r]] - max) / sum;
        }
        return out;
    }

    /** Retain-side share of {@code max} samples, proportional to the sides' sizes, each side >= 1. */
    static int retainQuota(int retain, int forget, int max) {
        long total = (long) retain + forget;
        if (total <= max) {
            return retain;
        }
        long quota = Math.round((double) max * retain / total);
        return (int) Math.max(1, Math.min(quota, max - 1));
    }

    static svm_parameter parameters() {
        svm_parameter p = new svm_parameter();
        p.svm_type = svm_parameter.C_SVC;
        p.kernel_type = KERNEL;
        p.C = C;
        p.gamma = GAMMA;
        p.eps = EPS;
        p.cache_size = CACHE_MB;
        p.shrinking = 1;
        // Probability estimates would run LIBSVM's internal, unseeded cross-validation.
        p.probability = 0;
        p.nr_weight = 0;
        p.weight_label = new int[0];
        p.weight = new double[0];
        p.degree = 3;
        p.coef0 = 0;
        p.nu = 0.5;
        p.p = 0.1;
        return p;
    }

    private static svm_model fit(double[] members, double[] nonMembers) {
        svm_problem problem = new svm_problem();
        problem.l = members.length + nonMembers.length;
        problem.x = new svm_node[problem.l][];
        problem.y = new double[problem.l];
        for (int i = 0; i < members.length; i++) {
            problem.x[i] = point(members[i]);
            problem.y[i] = MEMBER;
        }
        for (int i = 0; i < nonMembers.length; i++) {
            problem.x[members.length + i] = point(nonMembers[i]);
            problem.y[members.length + i] = NON_MEMBER;
        }
        svm_parameter param = parameters();
        String error = svm.svm_check_parameter(problem, param);
        if (error != null) {
            throw new IllegalStateException("LIBSVM rejects the attack's parameters: " + error);
        }
        return svm.svm_train(problem, param);
    }

    private static double predict(svm_model model, double p) {
        return svm.svm_predict(model, point(p));
    }

    private static svm_node[] point(double value) {
        svm_node node = new svm_node();
        node.index = 1;
        node.value = value;
        return new svm_node[] {node};
    }

    private static double[] subsample(double[] values, int max, SplittableRandom rng) {
        if (values.length <= max) {
            return values.clone();
        }
        int[] idx = new int[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < max; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        int[] pick = Arrays.copyOf(idx, max);
        Arrays.sort(pick);
        double[] out = new double[max];
        for (int k = 0; k < max; k++) {
            out[k] = values[pick[k]];
        }
        return out;
    }

    private static void check(String name, double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " is empty: the attack needs samples of every group");
        }
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + values[i] + " is not a probability");
            }
        }
    }
}
