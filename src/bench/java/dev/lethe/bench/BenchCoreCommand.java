package dev.lethe.bench;

import dev.lethe.cli.ProgressBar;
import dev.lethe.cli.Common;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.MeasuredForget;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.ModelFiles;
import dev.lethe.bench.report.CoreReport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "core", description = "Forget each class of each model in turn; write docs/results-core.md and plots.")
final class BenchCoreCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--model", required = true, paramLabel = "NAME=DIR", description = "repeatable, e.g. vgg=models/vgg")
    Map<String, Path> models;

    @Option(names = "--classes", defaultValue = "0-9", description = "a range or list, e.g. 0-9 or 1,6 (default: ${DEFAULT-VALUE})")
    String classes;

    @Option(names = "--out", defaultValue = "docs/results-core.md", paramLabel = "FILE") Path out;

    @Option(names = "--json", description = "print the summary as one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        Splits splits = common.splits();
        CoreReport report = new CoreReport();
        List<Integer> targets = Ranges.parse(classes);
        for (Map.Entry<String, Path> model : new java.util.TreeMap<>(models).entrySet()) {
            report.add(model.getKey(), describe(model.getValue()), rows(model.getKey(), model.getValue(), splits, targets));
        }
        String command = "bin/lethe bench core " + String.join(" ", models.entrySet().stream()
                .map(e -> "--model " + e.getKey() + "=" + e.getValue()).sorted().toList())
                + " --classes " + classes + " --out " + out;
        report.write(out, command, Machine.describe(), LocalDate.now().toString());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        report.summaries().forEach((m, s) -> {
            ObjectNode n = o.putObject(m);
            n.put("mean_forget_accuracy", s.forgetAfter());
            n.put("mean_retain_drop", s.retainDrop());
            n.put("mean_mia_efficacy", s.mia());
            n.put("mean_unlearn_seconds", s.unlearnSeconds());
        });
        System.out.println(json ? o.toString() : o.toPrettyString());
        System.err.println("wrote " + out);
        return 0;
    }

    private List<CoreReport.Row> rows(String name, Path dir, Splits splits, List<Integer> targets) throws Exception {
        List<CoreReport.Row> rows = new ArrayList<>();
        ClassAccuracy before = null;
        for (int c : targets) {
            try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(dir, m)) {
                if (before == null) {
                    before = Evaluation.accuracy(loaded.network(), splits.test());
                }
                MeasuredForget f = MeasuredForget.run(loaded.network(), loaded.manifest(), splits,
                        ForgetJob.spec(loaded.manifest(), Set.of(c), null, Sampling.DEFAULT), before);
                Set<Integer> gone = f.result().allForgotten();
                rows.add(new CoreReport.Row(c, loaded.manifest().labels().get(c), f.result().alphas().alphaR(),
                        f.result().alphas().alphaF(), f.result().forgetRank(), f.before().forgetAccuracy(gone), f.after().forgetAccuracy(gone),
                        f.before().retainAccuracy(gone), f.after().retainAccuracy(gone), f.mia().efficacy(),
                        f.result().outcome().computeSeconds()));
                ProgressBar.items(System.err, name + " classes forgotten", rows.size(), targets.size());
            }
        }
        return rows;
    }

    private static String describe(Path dir) throws Exception {
        var m = ModelFiles.readManifest(dir);
        return String.format(java.util.Locale.ROOT, "`%s`: %s, test accuracy %.2f%%, sha256 `%s`.", dir,
                m.architecture(), m.testAccuracy() == null ? Double.NaN : m.testAccuracy().overall() * 100,
                m.sha256().substring(0, 16));
    }
}
