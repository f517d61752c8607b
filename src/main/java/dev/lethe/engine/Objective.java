package dev.lethe.engine;

import java.util.Comparator;
import java.util.Locale;

/**
 * How tuning ranks the grid's points, all measured on the validation split.
 *
 * <p>The paper ranks by {@code ACC_r * (1 - ACC_f)}, which trades a point of forgetting for a
 * point of retained accuracy. A deletion has a target instead: the class must be gone, and
 * within that the model should stay as useful as it can. So by default Lethe takes the point
 * with the highest retain accuracy among those whose forget accuracy is at most
 * {@code forgetTarget} (1%), and falls back to the paper's score when no point reaches the
 * target. A null target is the paper's rule.
 *
 * @param forgetTarget the highest acceptable forget accuracy (a fraction), or null for the paper's score
 */
public record Objective(Double forgetTarget) {
    /** Forget accuracy at most 1%, then the most retain accuracy. */
    public static final Objective DEFAULT = new Objective(0.01);
    /** The paper's {@code ACC_r * (1 - ACC_f)}. */
    public static final Objective PAPER = new Objective(null);

    public Objective {
        if (forgetTarget != null && !(forgetTarget >= 0 && forgetTarget < 1)) {
            throw new IllegalArgumentException("forget target must be a fraction in [0, 1), got " + forgetTarget);
        }
    }

    /** Best first. Ties go to the smaller alphas and then to the larger rank (the untuned default's side). */
    public Comparator<AlphaSearch.Point> order() {
        Comparator<AlphaSearch.Point> byScore = Comparator.comparingDouble(AlphaSearch.Point::score).reversed();
        Comparator<AlphaSearch.Point> first = byScore;
        if (forgetTarget != null) {
            Comparator<AlphaSearch.Point> reached = Comparator.comparing(p -> !reaches(p));
            first = reached.thenComparing((p, q) -> reaches(p)
                    ? Comparator.comparingDouble(AlphaSearch.Point::retainAccuracy).reversed()
                            .thenComparingDouble(AlphaSearch.Point::forgetAccuracy).compare(p, q)
                    : byScore.compare(p, q));
        }
        return first.thenComparingDouble(AlphaSearch.Point::alphaR).thenComparingDouble(AlphaSearch.Point::alphaF)
                .thenComparing(Comparator.comparingInt(AlphaSearch.Point::forgetRank).reversed());
    }

    private boolean reaches(AlphaSearch.Point p) {
        return p.forgetAccuracy() <= forgetTarget;
    }

    /** For manifests and reports, e.g. "ACC_f <= 1%, then most ACC_r". */
    public String describe() {
        return forgetTarget == null ? "the paper's ACC_r x (1 - ACC_f)"
                : String.format(Locale.ROOT, "ACC_f <= %s%%, then most ACC_r", trim(forgetTarget * 100));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
