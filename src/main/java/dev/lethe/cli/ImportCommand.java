package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.StateCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", description = "Make a model directory from a PyTorch safetensors state dict, "
        + "checking every tensor's name and shape against the architecture.")
final class ImportCommand implements Callable<Integer> {
    @Mixin Common common;

    @ArgGroup(multiplicity = "1") ArchitectureOption architecture;

    @Option(names = "--weights", required = true, paramLabel = "FILE") Path weights;

    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

    @Option(names = "--no-tune", description = "skip the per-class alpha search") boolean noTune;

    @Override
    public Integer call() throws Exception {
        Architecture a = architecture.resolve();
        byte[] bytes = Files.readAllBytes(weights);
        try {
            StateCheck.require(a, ModelFiles.tensorShapes(bytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
        }
        ModelData data = ModelData.resolve(common, a);
        try (NDManager m = common.manager(); Network net = a.create(m, 0)) {
            ModelFiles.loadSafetensors(net, bytes);
            Splits splits = data.splits(common);
            ClassAccuracy acc = Evaluation.accuracy(net, splits.test());
            Manifest manifest = Manifest.of(a, data.labels(), null, TrainCommand.accuracy(acc),
                    "lethe import " + weights.getFileName());
            if (!noTune) {
                manifest = manifest.withAlphas(TrainCommand.tuneAll(net, manifest, splits));
            }
            Manifest written = ModelFiles.write(out, net, manifest);
            ModelFiles.writeData(out, data.specOrNull());
            System.err.printf("imported %s (%s, %d tensors checked): test accuracy %.2f%% on %s, sha256 %s%n", out,
                    a.id(), net.state().size(), acc.overall() * 100, data.describe(), written.sha256());
        }
        return 0;
    }
}
