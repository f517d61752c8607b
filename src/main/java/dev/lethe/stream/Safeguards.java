package dev.lethe.stream;

import dev.lethe.engine.UnlearningService;
import java.util.Locale;

/**
 * The processor's limits: how large a record it may write (the producer's
 * {@code max.request.size} and the topics' {@code max.message.bytes}), and the quality gate a
 * new version must pass before it is published.
 *
 * @param maxMessageBytes    the largest record Lethe writes, and its topics accept
 * @param maxForgetAccuracy  a new version whose forget accuracy, measured by the processor on
 *                           held-out validation images, is above this is not published
 */
public record Safeguards(int maxMessageBytes, double maxForgetAccuracy) {
    /** Kafka's own default for {@code max.request.size}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;
    /**
     * Twice chance for ten classes: far above what a forgotten class measures and far below a
     * version that did not forget (docs/results-core.md, docs/reliability.md).
     */
    public static final double DEFAULT_MAX_FORGET_ACCURACY = 0.2;
    public static final Safeguards DEFAULT = new Safeguards(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_FORGET_ACCURACY);
    /** Reasons and error messages are cut here: they quote the input, which may be huge. */
    static final int MAX_REASON_CHARS = 2_000;
    /** The smallest record limit that leaves room for a dead letter's metadata and a useful prefix. */
    static final int MIN_MESSAGE_BYTES = 64 * 1024;

    public Safeguards {
        if (maxMessageBytes < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("lethe.max.message.bytes must be at least " + MIN_MESSAGE_BYTES
                    + ", got " + maxMessageBytes);
        }
        if (!(maxForgetAccuracy >= 0 && maxForgetAccuracy <= 1)) {
            throw new IllegalArgumentException("lethe.quality.max-forget-accuracy must be in [0, 1], got "
                    + maxForgetAccuracy);
        }
    }

    public static Safeguards from(StreamConfig config) {
        return new Safeguards(Integer.parseInt(config.get(StreamConfig.MAX_MESSAGE_BYTES)),
                Double.parseDouble(config.get(StreamConfig.MAX_FORGET_ACCURACY)));
    }

    /**
     * The largest registration accepted: a quarter of the record limit, so that the registration
     * in the models store and version 0 (which repeats its labels) always fit in a record.
     */
    int maxRegistrationBytes() {
        return maxMessageBytes / 4;
    }

    /** Why {@code p} must not be published, or null if it passes the gate. Not measured counts as failing. */
    String qualityProblem(UnlearningService.Produced p) {
        double f = p.forgetAccuracy();
        if (f <= maxForgetAccuracy) {
            return null;
        }
        return String.format(Locale.ROOT, "quality gate: the new version's forget accuracy is %s on %s, above "
                        + "lethe.quality.max-forget-accuracy = %.1f%%; no version published (unreferenced artifact %s)",
                Double.isNaN(f) ? "not measured" : String.format(Locale.ROOT, "%.1f%%", 100 * f), p.measuredOn(),
                100 * maxForgetAccuracy, p.artifact().sha256());
    }
}
