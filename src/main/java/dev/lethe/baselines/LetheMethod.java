package dev.lethe.baselines;

import dev.lethe.data.Splits;
import dev.lethe.engine.ClassStatistics;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Forgetter;
import dev.lethe.engine.Sampling;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lethe itself, through {@link ForgetJob#run} exactly as {@code bin/lethe forget} calls it. Its
 * seconds are the whole call: drawing the samples, the captures, the eigen-solves, the patches and
 * applying them (the engine's own {@code compute} phase leaves out the drawing and the application).
 *
 * <p>Two variants. {@link #ID} captures the retain statistics in the call, as a one-off
 * {@code bin/lethe forget} does. {@link #CACHED_ID} runs as the stream processor does: the retain
 * statistics of a model version are captured once, outside any request (the processor does it in
 * the background after each version), and every request on that version reuses them. Both make
 * bit-identical models (the retain draw is seeded per version), so they differ only in seconds.
 *
 * <p>{@link #PAPER_ID} is the ablation: the same request (same alphas, samples and rank) without
 * head re-centring, i.e. exactly the paper's update, so a report shows what re-centring adds.
 */
public final class LetheMethod implements UnlearningMethod {
    public static final String ID = "lethe";
    public static final String CACHED_ID = "lethe-cached";
    public static final String PAPER_ID = "lethe-paper";
    private final Sampling sampling;
    private final Manifest.Alphas override;
    private final boolean cachedRetain;
    private final boolean recentreHead;
    /** Retain statistics per model version (weights' sha256), with the seconds they took once. */
    private final Map<String, ClassStatistics> cache = new HashMap<>();
    private final Map<String, Double> cacheSeconds = new HashMap<>();

    /** @param override alphas for every request, or null for the manifest's tuned ones */
    public LetheMethod(Sampling sampling, Manifest.Alphas override) {
        this(sampling, override, false);
    }

    /** @param cachedRetain reuse each model version's retain statistics across requests */
    public LetheMethod(Sampling sampling, Manifest.Alphas override, boolean cachedRetain) {
        this(sampling, override, cachedRetain, ForgetJob.RECENTRE_HEAD);
    }

    /** @param recentreHead false: the paper's update exactly (the ablation, {@link #PAPER_ID}) */
    public LetheMethod(Sampling sampling, Manifest.Alphas override, boolean cachedRetain, boolean recentreHead) {
        if (cachedRetain && !recentreHead) {
            throw new IllegalArgumentException("the ablation runs with retain statistics captured in the call only");
        }
        this.sampling = sampling;
        this.override = override;
        this.cachedRetain = cachedRetain;
        this.recentreHead = recentreHead;
    }

    @Override
    public String id() {
        return !recentreHead ? PAPER_ID : cachedRetain ? CACHED_ID : ID;
    }

    @Override
    public String description() {
        String alphas = override == null
                ? String.format(Locale.ROOT, "alphas from the model's manifest (tuned per class on the validation "
                        + "split; for an untuned model %s and %s with %d forget direction)",
                        AlphaTable.UNTUNED_DEFAULT.alphaR(), AlphaTable.UNTUNED_DEFAULT.alphaF(),
                        AlphaTable.UNTUNED_DEFAULT.forgetRank())
                : "alpha_r " + override.alphaR() + ", alpha_f " + override.alphaF();
        return String.format(Locale.ROOT, "training-free projection of every Conv2d/Linear weight (Kodge et al.) "
                + "from %d training images per retained class and %d of the forgotten class, %s, %s; %s",
                sampling.retainPerClass(), sampling.forgetSamples(), alphas, recentreHead
                        ? "classifier head re-centred" : "no head re-centring (the paper's update exactly)",
                cachedRetain
                        ? "retain statistics captured once per model version outside the request and reused, "
                                + "as the stream processor runs (seconds: the request only)"
                        : "retain statistics captured in the call (seconds include them)");
    }

    /** The engine's sampling seed, so that the default run is the very request {@code forget} makes. */
    @Override
    public long defaultSeed(Manifest manifest) {
        return sampling.seed();
    }

    @Override
    public Outcome run(Network net, Manifest manifest, Splits splits, Set<Integer> forget, long seed) {
        ForgetData.validate(manifest, forget); // refuse a bad request before any capture
        ClassStatistics retain = cachedRetain ? versionStatistics(net, manifest, splits) : null;
        long t0 = System.nanoTime();
        ForgetSpec spec = ForgetSpec.resolve(forget, manifest.alphaTable(), override, ForgetJob.DEFAULT_MAX_FORGET_RANK,
                recentreHead, sampling.withSeed(seed));
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, spec, retain);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Forgetter.Outcome o = r.outcome();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("alpha_r", r.alphas().alphaR());
        settings.put("alpha_f", r.alphas().alphaF());
        settings.put("alphas_from", r.alphas().selectedBy());
        settings.put("forget_rank", r.forgetRank());
        settings.put("head_recentring", r.recentredHead());
        settings.put("retain_per_class", sampling.retainPerClass());
        settings.put("forget_samples", sampling.forgetSamples());
        settings.put("positions_per_sample", sampling.positionsPerSample());
        settings.put("seed", seed);
        if (cachedRetain) {
            settings.put("retain_statistics_once_seconds", cacheSeconds.get(manifest.sha256()));
        }
        return new Outcome(id(), r.forgotten(), r.allForgotten(), seconds, Outcome.phases(
                "retain_statistics", o.retainCaptureSeconds(), "forget_statistics", o.forgetCaptureSeconds(),
                "eigen", o.eigenSeconds(), "update", o.updateSeconds(), "compute", o.computeSeconds()), settings);
    }

    /** Every class's retain statistics for this version, captured on first use (untimed by run). */
    private ClassStatistics versionStatistics(Network net, Manifest manifest, Splits splits) {
        return cache.computeIfAbsent(manifest.sha256(), sha -> {
            List<Integer> open = new ArrayList<>(manifest.retainedClasses());
            long t0 = System.nanoTime();
            ClassStatistics stats = ClassStatistics.captureRetain(net, splits, open, sampling);
            cacheSeconds.put(sha, (System.nanoTime() - t0) / 1e9);
            return stats;
        });
    }
}
