package dev.lethe.engine;

import dev.lethe.data.Classes;
import dev.lethe.data.Splits;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Unlearning;
import java.util.Set;
import java.util.TreeSet;

/**
 * One forgetting request against a model version, from class indices to patched weights:
 * validates the classes, picks the alphas, draws the samples, runs {@link Forgetter} and applies
 * the patches in place. The CLI and the stream processor both call this.
 */
public final class ForgetJob {
    /** The CIFAR-10 pair from the paper: the fallback when a model was never tuned. */
    public static final Manifest.Alphas PAPER_DEFAULT = new Manifest.Alphas(100, 3, "paper (CIFAR-10)");
    /**
     * Forget directions kept per layer unless a caller says otherwise. One value for the CLI, the
     * stream processor and the alpha search, because alphas tuned for one update are wrong for
     * another: with every direction kept, a pair chosen for four forgets far more of the retained
     * classes. Four keep patches small (docs/results-patches.md).
     */
    public static final int DEFAULT_MAX_FORGET_RANK = 4;
    /** Requests re-centre the classifier head ({@link dev.lethe.unlearn.Recentring}) unless told not to. */
    public static final boolean RECENTRE_HEAD = true;

    private ForgetJob() { }

    /** What a request did: the parameters it used (forget rank 0: no limit) and where its time went. */
    public record Result(Set<Integer> forgotten, Set<Integer> allForgotten, Manifest.Alphas alphas, int forgetRank,
                         boolean recentredHead, Forgetter.Outcome outcome) { }

    /**
     * Makes {@code net} forget {@code classes}.
     *
     * @param cache this version's class statistics, or null to capture them now (timed as retain work)
     * @param override alphas given with the request, or null to use the manifest's tuned ones
     */
    public static Result run(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                             Manifest.Alphas override, Sampling sampling, ClassStatistics cache) {
        return run(net, manifest, splits, classes, override, sampling, cache, DEFAULT_MAX_FORGET_RANK);
    }

    /**
     * As above; {@code maxForgetRank} forget directions per layer (0: as many as matter) unless
     * the alphas used carry their own rank (tuned alphas do).
     */
    public static Result run(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                             Manifest.Alphas override, Sampling sampling, ClassStatistics cache, int maxForgetRank) {
        return run(net, manifest, splits, classes, override, sampling, cache, maxForgetRank, RECENTRE_HEAD);
    }

    /** As above; {@code recentreHead} false makes exactly the paper's update (no head bias shift). */
    public static Result run(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                             Manifest.Alphas override, Sampling sampling, ClassStatistics cache, int maxForgetRank,
                             boolean recentreHead) {
        return run(net, manifest, classes, override, maxForgetRank, recentreHead,
                InlineSides.of(net, splits, sampling, cache));
    }

    /** As above, with both sides of the update from {@code sides} (prepared ones, for a warm request). */
    public static Result run(Network net, Manifest manifest, Set<Integer> classes, Manifest.Alphas override,
                             int maxForgetRank, boolean recentreHead, Sides sides) {
        Set<Integer> all = validate(classes, manifest.forgottenClasses(), manifest.labels().size());
        Set<Integer> retained = Classes.retained(manifest.labels().size(), all);
        Manifest.Alphas alphas = alphas(manifest, classes, override);
        Unlearning.Params params = params(alphas, maxForgetRank);
        Forgetter.Outcome outcome = Forgetter.forget(net, sides, retained, new TreeSet<>(classes), params,
                recentreHead);
        Forgetter.apply(net, outcome.patches());
        return new Result(new TreeSet<>(classes), all, alphas, params.maxForgetRank(), recentreHead, outcome);
    }

    /** The alphas a request uses: its own, else the manifest's tuned ones ({@link #chooseAlphas}). */
    public static Manifest.Alphas alphas(Manifest manifest, Set<Integer> classes, Manifest.Alphas override) {
        return override != null ? override : chooseAlphas(manifest, classes);
    }

    /** The update's parameters for these alphas: their own forget rank if they carry one (tuned alphas do). */
    public static Unlearning.Params params(Manifest.Alphas alphas, int maxForgetRank) {
        int rank = alphas.forgetRank() != null ? alphas.forgetRank() : maxForgetRank;
        return new Unlearning.Params(alphas.alphaR(), alphas.alphaF(), Forgetter.TOLERANCE, rank);
    }

    /** Tuned alphas for a single class, the model's tuned default for several, else the paper's pair. */
    public static Manifest.Alphas chooseAlphas(Manifest manifest, Set<Integer> classes) {
        if (manifest.alphas() == null) {
            return PAPER_DEFAULT;
        }
        if (classes.size() == 1) {
            Manifest.Alphas own = manifest.alphas().get(String.valueOf(classes.iterator().next()));
            if (own != null) {
                return own;
            }
        }
        return manifest.alphas().getOrDefault("default", PAPER_DEFAULT);
    }

    /** The cumulative forgotten set after this request; rejects requests that make no sense. */
    public static Set<Integer> validate(Set<Integer> classes, Set<Integer> already, int numClasses) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no class to forget");
        }
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("unknown class " + c + " (the model has classes 0.." + (numClasses - 1) + ")");
            }
            if (already.contains(c)) {
                throw new IllegalArgumentException("class " + c + " is already forgotten by this model");
            }
        }
        Set<Integer> all = new TreeSet<>(already);
        all.addAll(classes);
        if (all.size() >= numClasses) {
            throw new IllegalArgumentException("forgetting every class would leave nothing to predict");
        }
        return all;
    }
}
