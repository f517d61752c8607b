package dev.lethe.engine;

import dev.lethe.data.Dataset;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Inference;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import dev.lethe.unlearn.Gram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Chooses alphas for a model on its validation split: per class, and one default pair for
 * requests that forget several classes (the pair with the best mean score over the classes).
 */
public final class Tuning {
    /**
     * Validation images per retained class scored at each grid point. The forgotten class is
     * scored on all of its validation images, since that is the number the search drives to zero.
     */
    static final int RETAINED_PER_CLASS = 100;

    private Tuning() { }

    /** The grid of each class tuned, best point first by {@code objective}. */
    public record Report(Map<Integer, List<AlphaSearch.Point>> grids, Manifest.Alphas defaultPair,
                         Objective objective) {
        public Map<String, Manifest.Alphas> asManifestEntries() {
            Map<String, Manifest.Alphas> out = new LinkedHashMap<>();
            grids.forEach((c, grid) -> out.put(String.valueOf(c),
                    new Manifest.Alphas(grid.get(0).alphaR(), grid.get(0).alphaF(),
                            "validation grid search, " + objective.describe(), grid.get(0).forgetRank())));
            out.put(AlphaTable.DEFAULT_KEY, defaultPair);
            return out;
        }
    }

    /** Tunes each of {@code classes} (forgotten alone, on top of what the model already forgot). */
    public static Report tune(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                              Sampling sampling, IntConsumer progress) {
        return tune(net, manifest, splits, classes, sampling, AlphaSearch.FORGET_RANKS, Objective.DEFAULT, progress);
    }

    /** As above, trying only the given forget ranks (e.g. one, to bound every patch's size), ranked by {@code objective}. */
    public static Report tune(Network net, Manifest manifest, Splits splits, Set<Integer> classes,
                              Sampling sampling, int[] forgetRanks, Objective objective, IntConsumer progress) {
        Set<Integer> candidates = manifest.retainedClasses();
        ClassStatistics stats = ClassStatistics.captureRetain(net, splits, candidates, sampling);
        SampleBank validationBank = SampleBank.draw(splits.validation(), RETAINED_PER_CLASS, sampling.seed());
        Map<Integer, List<AlphaSearch.Point>> grids = new TreeMap<>();
        int done = 0;
        for (int c : new TreeSet<>(classes)) {
            Set<Integer> all = ForgetSpec.allForgotten(Set.of(c), manifest.forgottenClasses(), manifest.labels().size());
            Set<Integer> retained = new TreeSet<>(candidates);
            retained.remove(c);
            Dataset forgetSamples = sampling.forgetDraw(splits.train(), Set.of(c));
            Map<String, Gram> forget = ClassStatistics.toGrams(
                    Inference.grams(net, forgetSamples, sampling.positionsPerSample(), sampling.seed()));
            Dataset validation = Dataset.concat(validationBank.forClasses(retained), classOf(splits.validation(), c));
            // Alphas and rank are chosen together: the manifest stores both, and every request uses both.
            grids.put(c, AlphaSearch.grid(net, stats.sum(retained), forget, validation, all, objective, forgetRanks));
            progress.accept(++done);
        }
        return new Report(grids, bestMean(grids, objective), objective);
    }

    private static Dataset classOf(Dataset data, int c) {
        return data.select(data.indicesOfClass(c));
    }

    /** The parameters whose mean accuracies over the classes rank first by {@code objective}. */
    private static Manifest.Alphas bestMean(Map<Integer, List<AlphaSearch.Point>> grids, Objective objective) {
        Map<String, List<AlphaSearch.Point>> byKey = new TreeMap<>();
        for (List<AlphaSearch.Point> grid : grids.values()) {
            for (AlphaSearch.Point p : grid) {
                byKey.computeIfAbsent(p.alphaR() + "/" + p.alphaF() + "/" + p.forgetRank(), k -> new ArrayList<>()).add(p);
            }
        }
        List<AlphaSearch.Point> means = new ArrayList<>();
        for (List<AlphaSearch.Point> same : byKey.values()) {
            AlphaSearch.Point any = same.get(0);
            means.add(new AlphaSearch.Point(any.alphaR(), any.alphaF(), any.forgetRank(),
                    same.stream().mapToDouble(AlphaSearch.Point::retainAccuracy).average().orElse(0),
                    same.stream().mapToDouble(AlphaSearch.Point::forgetAccuracy).average().orElse(1)));
        }
        AlphaSearch.Point best = means.stream().min(objective.order()).orElseThrow();
        return new Manifest.Alphas(best.alphaR(), best.alphaF(),
                "validation grid search, " + objective.describe() + " over the classes' means", best.forgetRank());
    }
}
