package dev.lethe.engine;

import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.unlearn.Unlearning;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One forgetting request, resolved: everything that, with the parent's weights and data,
 * determines the new weights. The stream processor, the engine, replay and the CLI all describe
 * a request this way; the version event records it ({@code dev.lethe.lineage.Parameters}), and
 * {@link #problems} is the one place that says whether a request can be served.
 *
 * @param classes      the classes this request forgets (class indices; kept sorted)
 * @param alphas       the (alpha_r, alpha_f) pair used, and where it came from
 * @param forgetRank   forget directions kept per layer; 0: every one above the tolerance
 * @param recentreHead whether the classifier head's kept rows are re-centred (false: the paper's update exactly)
 * @param sampling     the sample counts and the seed of the forget-side draws
 */
public record ForgetSpec(Set<Integer> classes, Manifest.Alphas alphas, int forgetRank, boolean recentreHead,
                         Sampling sampling) {
    /** Alphas outside (0, MAX_ALPHA] are certainly a mistake (the paper's grid spans 1..1000). */
    public static final double MAX_ALPHA = 1e6;

    public ForgetSpec {
        classes = Collections.unmodifiableSortedSet(new TreeSet<>(classes));
        Objects.requireNonNull(alphas, "alphas");
        Objects.requireNonNull(sampling, "sampling");
        if (forgetRank < 0) {
            throw new IllegalArgumentException("forget_rank must be >= 0 (0: no limit), got " + forgetRank);
        }
    }

    /**
     * A request resolved against a model's tuned alphas: {@code override} if given, else the
     * table's choice; the forget rank those alphas were tuned for if they say, else
     * {@code defaultRank} (alphas right for one rank are wrong for another).
     */
    public static ForgetSpec resolve(Set<Integer> classes, AlphaTable tuned, Manifest.Alphas override, int defaultRank,
                                     boolean recentreHead, Sampling sampling) {
        Manifest.Alphas a = override != null ? override : tuned.choose(classes);
        int rank = a.forgetRank() != null ? a.forgetRank() : defaultRank;
        return new ForgetSpec(classes, a, rank, recentreHead, sampling);
    }

    /** The update's parameters. */
    public Unlearning.Params params() {
        return new Unlearning.Params(alphas.alphaR(), alphas.alphaF(), Forgetter.TOLERANCE, forgetRank);
    }

    /**
     * Why this request cannot be served on a version of a {@code numClasses}-class model that has
     * forgotten {@code already}; empty if it can. The stream turns these into a rejection.
     */
    public List<String> problems(int numClasses, Set<Integer> already) {
        List<String> out = classProblems(classes, already, numClasses);
        addIfProblem(out, alphaProblem("alpha_r", alphas.alphaR()));
        addIfProblem(out, alphaProblem("alpha_f", alphas.alphaF()));
        return out;
    }

    /** The cumulative forgotten set after this request; IllegalArgumentException with the {@link #problems}. */
    public Set<Integer> allForgotten(int numClasses, Set<Integer> already) {
        check(problems(numClasses, already));
        return union(classes, already);
    }

    /**
     * The cumulative forgotten set after forgetting {@code classes}, for methods that have no
     * alphas (the baselines); IllegalArgumentException with the reasons if it makes no sense.
     */
    public static Set<Integer> allForgotten(Set<Integer> classes, Set<Integer> already, int numClasses) {
        check(classProblems(classes, already, numClasses));
        return union(classes, already);
    }

    /** Why forgetting {@code classes} makes no sense on a model that has forgotten {@code already}. */
    public static List<String> classProblems(Set<Integer> classes, Set<Integer> already, int numClasses) {
        List<String> out = new ArrayList<>();
        if (classes.isEmpty()) {
            out.add("the request names no class to forget");
        }
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                out.add("unknown class " + c + " (the model has classes 0.." + (numClasses - 1) + ")");
            } else if (already.contains(c)) {
                out.add("class " + c + " is already forgotten by this model");
            }
        }
        if (out.isEmpty() && union(classes, already).size() >= numClasses) {
            out.add("forgetting every class would leave nothing to predict");
        }
        return out;
    }

    /** Why {@code alpha} cannot be one, or null if it can. */
    public static String alphaProblem(String name, double alpha) {
        return alpha > 0 && alpha <= MAX_ALPHA ? null
                : name + " must be in (0, " + (long) MAX_ALPHA + "], got " + alpha;
    }

    private static void check(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void addIfProblem(List<String> out, String problem) {
        if (problem != null) {
            out.add(problem);
        }
    }

    private static Set<Integer> union(Set<Integer> classes, Set<Integer> already) {
        Set<Integer> all = new TreeSet<>(already);
        all.addAll(classes);
        return all;
    }
}
