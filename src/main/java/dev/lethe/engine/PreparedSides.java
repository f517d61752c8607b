package dev.lethe.engine;

import dev.lethe.data.Splits;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Unlearning;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sides of requests on one model version, kept in a {@link VersionCache}: found when they
 * were prepared ahead (the warm path: no forward pass, no eigen-solve), waited for when they
 * are being prepared, else computed here by {@link InlineSides}' methods and kept. Every key
 * names all that the value depends on, so a hit is always the value the request would compute.
 */
final class PreparedSides implements Sides {
    /** The statistics every retain side of a version is summed from stay longer than any side. */
    static final double KEEP_STATISTICS = Double.MAX_VALUE;

    private final VersionCache cache;
    private final String sha256;
    private final Network net;
    private final Splits splits;
    private final Sampling sampling;
    private final Set<Integer> open;
    private final double keep;
    private volatile boolean statisticsComputedHere;

    /**
     * @param open the version's classes not forgotten yet: statistics are captured for all of
     *     them, so that any request on the version sums what it needs from one capture
     * @param keep how likely the sides computed here are to be asked for again (see VersionCache)
     */
    PreparedSides(VersionCache cache, String sha256, Network net, Splits splits, Sampling sampling, Set<Integer> open,
                  double keep) {
        this.cache = cache;
        this.sha256 = sha256;
        this.net = net;
        this.splits = splits;
        this.sampling = sampling;
        this.open = new TreeSet<>(open);
        this.keep = keep;
    }

    static VersionCache.Key statisticsKey(String sha256, Sampling s) {
        return new VersionCache.Key(sha256, "statistics per-class=" + s.retainPerClass()
                + " positions=" + s.positionsPerSample());
    }

    static VersionCache.Key retainKey(String sha256, Sampling s, Set<Integer> retained, Unlearning.Params p) {
        return new VersionCache.Key(sha256, "retain " + new TreeSet<>(retained) + " alpha_r=" + p.alphaR()
                + " tolerance=" + p.tolerance() + " " + statisticsKey(sha256, s).item());
    }

    static VersionCache.Key forgetKey(String sha256, Sampling s, Set<Integer> classes, Unlearning.Params p) {
        return new VersionCache.Key(sha256, "forget " + new TreeSet<>(classes) + " alpha_f=" + p.alphaF()
                + " tolerance=" + p.tolerance() + " rank=" + p.maxForgetRank() + " samples=" + s.forgetSamples()
                + " positions=" + s.positionsPerSample() + " seed=" + s.seed());
    }

    /** The version's class statistics of every open class: kept, waited for or captured here. */
    ClassStatistics statistics() {
        VersionCache.Lookup<ClassStatistics> l = cache.get(statisticsKey(sha256, sampling), KEEP_STATISTICS,
                () -> ClassStatistics.captureRetain(net, splits, open, sampling), ClassStatistics::bytes);
        if (l.computedHere()) {
            statisticsComputedHere = true;
        }
        return l.value();
    }

    /** Whether this object captured the statistics (a cold request) rather than finding them. */
    boolean statisticsComputedHere() {
        return statisticsComputedHere;
    }

    @Override
    public Side<RetainSide> retain(Set<Integer> retained, Unlearning.Params params) {
        VersionCache.Lookup<RetainSide> l = cache.get(retainKey(sha256, sampling, retained, params), keep, () -> {
            long t0 = System.nanoTime();
            boolean before = statisticsComputedHere;
            ClassStatistics stats = statistics();
            double capture = statisticsComputedHere && !before ? (System.nanoTime() - t0) / 1e9 : 0;
            return InlineSides.retainSide(net, stats, retained, params, capture);
        }, RetainSide::bytes);
        return new Side<>(l.value(), l.computedHere());
    }

    @Override
    public Side<ForgetSide> forget(Set<Integer> classes, Unlearning.Params params) {
        VersionCache.Lookup<ForgetSide> l = cache.get(forgetKey(sha256, sampling, classes, params), keep,
                () -> InlineSides.forgetSide(net, splits.train(), classes, sampling, params), ForgetSide::bytes);
        return new Side<>(l.value(), l.computedHere());
    }
}
