package dev.lethe.unlearn;

/**
 * The paper's scaled importance {@code lambda = alpha e / ((alpha - 1) e + 1)} of a direction
 * holding the fraction {@code e} of a layer's input energy.
 */
public final class ScaledImportance {
    private ScaledImportance() {}

    /**
     * One lambda per energy ratio, each in [0, 1], and exactly 1 for a ratio of 1.
     *
     * @throws IllegalArgumentException if alpha is not a finite positive number or a ratio is NaN
     */
    public static double[] lambda(double alpha, double[] energyRatios) {
        requireAlpha(alpha);
        double[] out = new double[energyRatios.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lambda(alpha, energyRatios[i]);
        }
        return out;
    }

    static double lambda(double alpha, double ratio) {
        if (Double.isNaN(ratio)) {
            throw new IllegalArgumentException("energy ratio is NaN");
        }
        // Round-off can push a ratio a hair outside [0, 1]; the formula is only a contraction inside.
        double e = Math.min(1.0, Math.max(0.0, ratio));
        if (e == 0.0) {
            return 0.0;
        }
        // The denominator is written as alpha*e + (1 - e) rather than (alpha - 1)*e + 1: it is then
        // never smaller than the numerator in floating point, so lambda <= 1, and equals alpha at e = 1.
        double num = alpha * e;
        return num / (num + (1.0 - e));
    }

    static void requireAlpha(double alpha) {
        if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and > 0, got " + alpha);
        }
    }

    static void requireTolerance(double tolerance) {
        if (!(tolerance >= 0.0 && tolerance < 1.0)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
    }
}
