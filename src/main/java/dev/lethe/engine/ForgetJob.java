package dev.lethe.engine;

import dev.lethe.data.Classes;
import dev.lethe.data.Splits;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import dev.lethe.patch.Patches;
import java.util.Set;

/**
 * One forgetting request ({@link ForgetSpec}) against a model version, to patched weights:
 * checks it, runs {@link Forgetter} and applies the patches in place. The CLI, the stream's
 * engine and replay all call {@link #run(Network, ForgetSpec, int, Set, Sides)}.
 */
public final class ForgetJob {
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

    /** What a request did: the request, the classes forgotten since the base model, where its time went. */
    public record Result(ForgetSpec spec, Set<Integer> allForgotten, Forgetter.Outcome outcome) {
        public Set<Integer> forgotten() {
            return spec.classes();
        }

        public Manifest.Alphas alphas() {
            return spec.alphas();
        }

        /** Forget directions kept per layer (0: no limit). */
        public int forgetRank() {
            return spec.forgetRank();
        }

        public boolean recentredHead() {
            return spec.recentreHead();
        }
    }

    /**
     * The request {@code bin/lethe forget} makes: {@code override} or else the manifest's tuned
     * alphas, with their rank or the default one, head re-centred.
     */
    public static ForgetSpec spec(Manifest manifest, Set<Integer> classes, Manifest.Alphas override,
                                  Sampling sampling) {
        return ForgetSpec.resolve(classes, manifest.alphaTable(), override, DEFAULT_MAX_FORGET_RANK, RECENTRE_HEAD,
                sampling);
    }

    /**
     * Makes {@code net} forget {@code classes} as {@link #spec} resolves the request.
     *
     * @param cache this version's class statistics, or null to capture them now (timed as retain work)
     * @param override alphas given with the request, or null to use the manifest's tuned ones
     */
    public static Result run(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                             Manifest.Alphas override, Sampling sampling, ClassStatistics cache) {
        return run(net, manifest, splits, spec(manifest, classes, override, sampling), cache);
    }

    /** As above for any request, both sides computed in the call (or the retain side from {@code cache}). */
    public static Result run(Network net, Manifest manifest, Splits splits, ForgetSpec spec, ClassStatistics cache) {
        return run(net, spec, manifest.labels().size(), manifest.forgottenClasses(),
                InlineSides.of(net, splits, spec.sampling(), cache));
    }

    /**
     * Makes {@code net}, a version of a {@code numClasses}-class model that has forgotten
     * {@code already}, forget what {@code spec} says, with both sides of the update from
     * {@code sides} (prepared ones, for a warm request). IllegalArgumentException with the
     * reasons if the request cannot be served.
     */
    public static Result run(Network net, ForgetSpec spec, int numClasses, Set<Integer> already, Sides sides) {
        Set<Integer> all = spec.allForgotten(numClasses, already);
        Forgetter.Outcome outcome = Forgetter.forget(net, sides, Classes.retained(numClasses, all), spec.classes(),
                spec.params(), spec.recentreHead());
        Patches.apply(net, outcome.patches());
        return new Result(spec, all, outcome);
    }
}
