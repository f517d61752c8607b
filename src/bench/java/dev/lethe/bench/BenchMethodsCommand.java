package dev.lethe.bench;

import dev.lethe.cli.TrainCommand;
import dev.lethe.cli.ProgressBar;
import dev.lethe.cli.Common;
import ai.djl.ndarray.NDManager;

import dev.lethe.baselines.Methods;
import dev.lethe.baselines.Retrain;
import dev.lethe.baselines.UnlearningMethod;
import dev.lethe.data.Splits;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Training;
import dev.lethe.bench.report.MethodsReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "methods", description = "Lethe against retraining, fine-tuning, NegGrad+ and SSD on every class; "
        + "writes docs/results.md with its JSON and plots.")
final class BenchMethodsCommand implements Callable<Integer> {
    @Mixin Common common;

    @ArgGroup(multiplicity = "1") Source source;

    /** A trained model directory, or an architecture to train a base model for this run. */
    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "the trained model to compare on") Path model;

        @Option(names = "--arch", description = "train a fresh mlp, vgg or resnet for this run instead") String arch;
    }

    @Option(names = "--epochs", description = "with --arch: training epochs (default: the architecture's recipe)")
    Integer epochs;

    @Option(names = "--no-tune", description = "with --arch: skip the alpha search (Lethe uses the paper's alphas)")
    boolean noTune;

    @Option(names = "--classes", defaultValue = "0-9", description = "classes to forget, one per request (default: ${DEFAULT-VALUE})")
    String classes;

    @Option(names = "--retrain-classes", defaultValue = "0,2,4,6,8",
            description = "the classes retrain runs on; each is a full training run (default: ${DEFAULT-VALUE})")
    String retrainClasses;

    @Option(names = "--methods", defaultValue = "lethe,lethe-cached,lethe-paper,retrain,finetune,neggrad+,ssd",
            description = "methods to compare (default: ${DEFAULT-VALUE})")
    String methods;

    @Option(names = "--out", defaultValue = "docs/results.md", paramLabel = "FILE",
            description = "markdown report; the JSON and PNGs go beside it (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", description = "print the summary as one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        List<Comparison.Plan> plans = plans();
        Splits splits = common.splits();
        Path trained = source.model == null ? Files.createTempDirectory("lethe-bench-methods-") : null;
        try {
            Path dir = trained == null ? source.model
                    : TrainCommand.train(common, Architecture.parse(source.arch), epochs, 42, trained, !noTune);
            Comparison.Result result;
            try (NDManager m = common.manager()) {
                result = Comparison.run(dir, m, splits, plans, new Progress());
            }
            MethodsReport report = new MethodsReport(result);
            report.write(out, command(), Machine.describe(), LocalDate.now().toString(), describe(dir, trained != null));
            System.out.println(json ? report.summaryJson().toString() : report.summaryJson().toPrettyString());
            System.err.println("wrote " + out + " (with its JSON and plots beside it)");
        } finally {
            if (trained != null) {
                deleteTree(trained);
            }
        }
        return 0;
    }

    private List<Comparison.Plan> plans() {
        List<Integer> all = Ranges.parse(classes);
        List<Integer> retrain = Ranges.parse(retrainClasses);
        if (!all.containsAll(retrain)) {
            throw new IllegalArgumentException("--retrain-classes " + retrainClasses + " must be among --classes "
                    + classes + " (the report compares every method on retrain's classes)");
        }
        List<Comparison.Plan> out = new ArrayList<>();
        for (UnlearningMethod method : Methods.parse(methods, new TrainingBar())) {
            out.add(new Comparison.Plan(method, method.id().equals(Retrain.ID) ? retrain : all));
        }
        return out;
    }

    private String command() {
        String from = source.model != null ? "--model " + source.model
                : "--arch " + source.arch + (epochs != null ? " --epochs " + epochs : "") + (noTune ? " --no-tune" : "");
        return "bin/lethe bench methods " + from + " --classes " + classes + " --retrain-classes " + retrainClasses
                + " --methods " + methods + " --out " + out;
    }

    private String describe(Path dir, boolean trainedHere) throws IOException {
        Manifest m = ModelFiles.readManifest(dir);
        String origin = trainedHere ? String.format(Locale.ROOT, "a %s trained by this run (%d epoch%s, seed %d, alphas %s)",
                m.architecture(), m.recipe().epochs(), m.recipe().epochs() == 1 ? "" : "s", m.recipe().seed(),
                m.alphas() == null ? "not tuned" : "tuned")
                : "`" + dir + "`, " + m.architecture();
        return String.format(Locale.ROOT, "%s, test accuracy %.2f%%, sha256 `%s`.", origin,
                m.testAccuracy() == null ? Double.NaN : m.testAccuracy().overall() * 100, m.sha256().substring(0, 16));
    }

    /** One line per request on stderr; the training methods add a progress bar. */
    private static final class Progress implements Comparison.Listener {
        @Override
        public void warmingUp() {
            System.err.println("measuring the original model and warming up (one untimed Lethe request)");
        }

        @Override
        public void starting(String method, int cls, int index, int total) {
            System.err.printf("[%d/%d] %s forgets class %d%n", index, total, method, cls);
        }

        @Override
        public void finished(Comparison.Run r, int index, int total) {
            System.err.printf(Locale.ROOT, "[%d/%d] %s class %d: ACC_r %.2f%%, ACC_f %.2f%%, MIA %.1f%%, %.2f s%n",
                    index, total, r.method(), r.cls(), r.after().retainAccuracy(r.outcome().allForgotten()) * 100,
                    r.after().forgetAccuracy(r.outcome().allForgotten()) * 100, r.mia().efficacy() * 100,
                    r.outcome().seconds());
        }
    }

    /** A fresh {@link ProgressBar} for every training run (its clock starts at the first step). */
    private static final class TrainingBar implements Training.Progress {
        private ProgressBar bar;

        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss) {
            if (bar == null || (epoch == 1 && step == 1)) {
                bar = new ProgressBar(System.err);
            }
            bar.onStep(epoch, epochs, step, steps, loss);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
