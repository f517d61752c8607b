package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Tuning;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train a model on Fashion-MNIST (or its own data, --data-spec) and tune its unlearning alphas.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin Common common;

    @ArgGroup(multiplicity = "1")
    ArchitectureOption architecture;

    @Option(names = "--epochs", description = "default: the architecture's recipe (its description's \"epochs\")")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "42", description = "initialisation and shuffling seed")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--no-tune", description = "skip the per-class alpha search on the validation split")
    boolean noTune;

    @Override
    public Integer call() throws Exception {
        Path written = train(common, architecture.resolve(), epochs, seed, out, !noTune);
        System.err.println("model written to " + written);
        return 0;
    }

    public static Path train(Common common, Architecture a, Integer epochs, long seed, Path out, boolean tune)
            throws Exception {
        ModelData data = ModelData.resolve(common, a);
        Splits splits = data.splits(common);
        Training.Recipe base = Training.Recipe.defaults(a);
        Training.Recipe recipe = new Training.Recipe(epochs == null ? base.epochs() : epochs, base.batchSize(),
                base.learningRate(), seed);
        try (NDManager m = common.manager(); Network net = a.create(m, seed)) {
            System.err.printf("training %s on %d images of %s (%d epochs, seed %d)%n", a.id(),
                    splits.train().size(), data.describe(), recipe.epochs(), seed);
            Training.train(net, splits.train(), recipe, new ProgressBar(System.err));
            ClassAccuracy acc = Evaluation.accuracy(net, splits.test());
            System.err.printf("test accuracy %.2f%%%n", acc.overall() * 100);
            Manifest manifest = Manifest.of(a, data.labels(), recipe, accuracy(acc), "lethe train");
            if (tune) {
                manifest = manifest.withAlphas(tuneAll(net, manifest, splits));
            }
            ModelFiles.write(out, net, manifest);
            ModelFiles.writeData(out, data.specOrNull());
        }
        return out;
    }

    static java.util.Map<String, Manifest.Alphas> tuneAll(Network net, Manifest manifest, Splits splits) {
        Set<Integer> classes = new TreeSet<>();
        for (int c = 0; c < manifest.labels().size(); c++) {
            classes.add(c);
        }
        System.err.println("choosing alphas per class on the validation split");
        Tuning.Report report = Tuning.tune(net, manifest, splits, classes, Sampling.DEFAULT,
                done -> ProgressBar.items(System.err, "classes tuned", done, classes.size()));
        return report.asManifestEntries();
    }

    static Manifest.Accuracy accuracy(ClassAccuracy acc) {
        List<Double> per = new java.util.ArrayList<>();
        for (double v : acc.perClass()) {
            per.add(v);
        }
        return new Manifest.Accuracy(acc.overall(), per);
    }
}
