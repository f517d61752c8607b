package dev.lethe.engine;

import dev.lethe.data.Dataset;
import dev.lethe.data.SampleBank;
import java.util.Collection;

/**
 * How many samples feed the statistics of one request.
 *
 * @param retainPerClass training images per retained class (the paper: 100)
 * @param forgetSamples training images of the forgotten classes, split evenly (the paper: 900)
 * @param positionsPerSample conv patches kept per image and layer (seeded); see GramCapture
 * @param seed seeds the forget-side draws, so a request always yields the same model (the retain
 *     side is drawn with {@link #RETAIN_SEED}, the same for every request on a version)
 */
public record Sampling(int retainPerClass, int forgetSamples, int positionsPerSample, long seed) {
    public static final Sampling DEFAULT = new Sampling(100, 900, 32, 0x4C455448L);
    /** Seeds the retain side of every model version ("RETAIN"): see ClassStatistics.captureRetain. */
    public static final long RETAIN_SEED = 0x52455441494EL;

    public Sampling {
        if (retainPerClass < 1 || forgetSamples < 1 || positionsPerSample < 1) {
            throw new IllegalArgumentException("sample counts must be positive");
        }
    }

    /**
     * The forget side of a request: {@link #forgetSamples} training images split evenly over
     * {@code classes}, drawn with this seed (offset by one, so that it never coincides with a
     * retain draw). Replay depends on every caller drawing exactly this.
     */
    public Dataset forgetDraw(Dataset train, Collection<Integer> classes) {
        int perClass = Math.max(1, forgetSamples / classes.size());
        return SampleBank.draw(train, perClass, seed + 1).forClasses(classes);
    }

    /**
     * The seed of the requests a stream processor serves on a model version: its weights'
     * sha256 (the first 16 hex digits). Every request on a version then draws the same forget
     * samples for a class, which is what lets them be prepared before the request arrives; the
     * version event records it, so replay draws them again. (Versions made before this rule
     * seeded from the request id; they record that seed and replay with it.)
     */
    public static long versionSeed(String sha256) {
        if (sha256 == null || sha256.length() < 16) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return Long.parseUnsignedLong(sha256.substring(0, 16), 16);
    }

    public Sampling withForgetSamples(int n) {
        return new Sampling(retainPerClass, n, positionsPerSample, seed);
    }

    public Sampling withSeed(long s) {
        return new Sampling(retainPerClass, forgetSamples, positionsPerSample, s);
    }
}
