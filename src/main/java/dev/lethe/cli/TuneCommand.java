package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.engine.AlphaSearch;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Objective;
import dev.lethe.engine.Tuning;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tune", description = "Search the paper's alpha grid, crossed with forget ranks, on the validation split "
        + "(never the test set).")
final class TuneCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;

    @Option(names = "--class", paramLabel = "C", description = "class to tune for; repeatable (default: all)")
    List<String> classes;

    @Option(names = "--ranks", split = ",", paramLabel = "K",
            description = "forget directions per layer to try with each alpha pair (default: 1,2,4)")
    int[] ranks = dev.lethe.engine.AlphaSearch.FORGET_RANKS.clone();

    @Option(names = "--forget-target", paramLabel = "PCT", defaultValue = "1",
            description = "pick the most retain accuracy among points whose validation forget accuracy is at most "
                    + "this, in percent (default: ${DEFAULT-VALUE}); none reaches it: the paper's score decides")
    double forgetTargetPercent;

    @Option(names = "--paper-score", description = "rank by the paper's ACC_r x (1 - ACC_f) instead of the forget target")
    boolean paperScore;

    @Option(names = "--save", description = "store the chosen pairs in the model's manifest") boolean save;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, m)) {
            Manifest manifest = loaded.manifest();
            Set<Integer> targets = classes != null ? Common.classes(classes, manifest.labels()) : allOpen(manifest);
            for (int k : ranks) {
                if (k < 0) {
                    throw new IllegalArgumentException("--ranks: " + k + " is not a rank (0: every direction)");
                }
            }
            Objective objective = paperScore ? Objective.PAPER : new Objective(forgetTargetPercent / 100);
            Tuning.Report report = Tuning.tune(loaded.network(), manifest, common.splits(model), targets, Sampling.DEFAULT,
                    ranks, objective, done -> ProgressBar.items(System.err, "classes tuned", done, targets.size()));
            if (save) {
                Map<String, Manifest.Alphas> merged = new LinkedHashMap<>();
                if (manifest.alphas() != null) {
                    merged.putAll(manifest.alphas());
                }
                merged.putAll(report.asManifestEntries());
                ModelFiles.writeManifest(model, manifest.withAlphas(merged));
            }
            print(report, manifest.labels());
        }
        return 0;
    }

    private void print(Tuning.Report report, List<String> labels) {
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ObjectNode perClass = o.putObject("classes");
            report.grids().forEach((c, grid) -> {
                ObjectNode g = perClass.putObject(String.valueOf(c));
                g.put("label", labels.get(c));
                g.set("best", point(grid.get(0)));
                ArrayNode all = g.putArray("grid");
                grid.forEach(p -> all.add(point(p)));
            });
            o.put("default_alpha_r", report.defaultPair().alphaR());
            o.put("default_alpha_f", report.defaultPair().alphaF());
            o.put("default_forget_rank", report.defaultPair().forgetRank());
            o.put("objective", report.objective().describe());
            o.put("saved", save);
            System.out.println(o.toString());
            return;
        }
        System.out.println("ranked by " + report.objective().describe() + " (validation split)");
        report.grids().forEach((c, grid) -> {
            System.out.printf("class %d (%s): best alpha_r %s, alpha_f %s, forget rank %d%n", c, labels.get(c),
                    grid.get(0).alphaR(), grid.get(0).alphaF(), grid.get(0).forgetRank());
            System.out.println("  alpha_r  alpha_f  rank   ACC_r(val)  ACC_f(val)   score");
            for (AlphaSearch.Point p : grid) {
                System.out.printf("  %7.0f  %7.0f  %4d   %9.2f%%  %9.2f%%  %.4f%n", p.alphaR(), p.alphaF(),
                        p.forgetRank(), p.retainAccuracy() * 100, p.forgetAccuracy() * 100, p.score());
            }
        });
        System.out.printf("default (best by the classes' mean accuracies): alpha_r %s, alpha_f %s, forget rank %d%s%n",
                report.defaultPair().alphaR(), report.defaultPair().alphaF(), report.defaultPair().forgetRank(),
                save ? " (saved to the manifest)" : "");
    }

    private static ObjectNode point(AlphaSearch.Point p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("alpha_r", p.alphaR());
        o.put("alpha_f", p.alphaF());
        o.put("forget_rank", p.forgetRank());
        o.put("retain_accuracy", p.retainAccuracy());
        o.put("forget_accuracy", p.forgetAccuracy());
        o.put("score", p.score());
        return o;
    }

    private static Set<Integer> allOpen(Manifest manifest) {
        return manifest.retainedClasses();
    }
}
