package dev.lethe.lineage;

import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Sampling;
import dev.lethe.events.UnlearningParameters;
import dev.lethe.model.Manifest;
import java.util.Set;

/**
 * The one translation between a {@link ForgetSpec} and the parameters a version event records:
 * the stream writes them with {@link #of}, replay reads them back with {@link #spec}. The
 * lineage hash commits to these bytes, so the translation must not change.
 */
public final class Parameters {
    private Parameters() { }

    /** What a version made by {@code spec} records. */
    public static UnlearningParameters of(ForgetSpec spec) {
        Sampling s = spec.sampling();
        return UnlearningParameters.newBuilder()
                .setAlphaR(spec.alphas().alphaR()).setAlphaF(spec.alphas().alphaF())
                .setRetainPerClass(s.retainPerClass()).setForgetSamples(s.forgetSamples())
                .setPositionsPerSample(s.positionsPerSample()).setSeed(s.seed())
                // The event says "no limit" with null; the spec with 0.
                .setMaxForgetRank(spec.forgetRank() == 0 ? null : spec.forgetRank())
                .setHeadRecentring(spec.recentreHead())
                .build();
    }

    /**
     * The request a version recorded, forgetting {@code classes}. Versions made before Lethe
     * re-centred the head record null there: the paper's update.
     */
    public static ForgetSpec spec(Set<Integer> classes, UnlearningParameters p) {
        int rank = p.getMaxForgetRank() == null ? 0 : p.getMaxForgetRank();
        return new ForgetSpec(classes, new Manifest.Alphas(p.getAlphaR(), p.getAlphaF(), "recorded"), rank,
                Boolean.TRUE.equals(p.getHeadRecentring()),
                new Sampling(p.getRetainPerClass(), p.getForgetSamples(), p.getPositionsPerSample(), p.getSeed()));
    }
}
