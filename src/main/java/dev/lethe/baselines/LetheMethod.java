package dev.lethe.baselines;

import dev.lethe.data.Splits;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Forgetter;
import dev.lethe.engine.Sampling;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lethe itself, through {@link ForgetJob#run} exactly as {@code bin/lethe forget} calls it, with
 * retain statistics captured in the call (no cache). Its seconds are the
 * whole call: drawing the samples, both captures, the eigen-solves, the patches and applying
 * them (the engine's own {@code compute} phase leaves out the drawing and the application).
 */
public final class LetheMethod implements UnlearningMethod {
    public static final String ID = "lethe";
    private final Sampling sampling;
    private final Manifest.Alphas override;

    /** @param override alphas for every request, or null for the manifest's tuned ones */
    public LetheMethod(Sampling sampling, Manifest.Alphas override) {
        this.sampling = sampling;
        this.override = override;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        String alphas = override == null
                ? String.format(Locale.ROOT, "alphas from the model's manifest (tuned per class on the validation "
                        + "split; the paper's CIFAR-10 pair, %s and %s, for an untuned model)",
                        ForgetJob.PAPER_DEFAULT.alphaR(), ForgetJob.PAPER_DEFAULT.alphaF())
                : "alpha_r " + override.alphaR() + ", alpha_f " + override.alphaF();
        return String.format(Locale.ROOT, "training-free projection of every Conv2d/Linear weight (Kodge et al.) "
                + "from %d training images per retained class and %d of the forgotten class, %s",
                sampling.retainPerClass(), sampling.forgetSamples(), alphas);
    }

    /** The engine's sampling seed, so that the default run is the very request {@code forget} makes. */
    @Override
    public long defaultSeed(Manifest manifest) {
        return sampling.seed();
    }

    @Override
    public Outcome run(Network net, Manifest manifest, Splits splits, Set<Integer> forget, long seed) {
        long t0 = System.nanoTime();
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, forget, override, sampling.withSeed(seed), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Forgetter.Outcome o = r.outcome();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("alpha_r", r.alphas().alphaR());
        settings.put("alpha_f", r.alphas().alphaF());
        settings.put("alphas_from", r.alphas().selectedBy());
        settings.put("retain_per_class", sampling.retainPerClass());
        settings.put("forget_samples", sampling.forgetSamples());
        settings.put("positions_per_sample", sampling.positionsPerSample());
        settings.put("seed", seed);
        return new Outcome(ID, r.forgotten(), r.allForgotten(), seconds, Outcome.phases(
                "retain_statistics", o.retainCaptureSeconds(), "forget_statistics", o.forgetCaptureSeconds(),
                "eigen", o.eigenSeconds(), "update", o.updateSeconds(), "compute", o.computeSeconds()), settings);
    }
}
