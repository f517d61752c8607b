package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", description = "Make a model directory from a PyTorch safetensors state dict.")
final class ImportCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--arch", required = true, description = "mlp, vgg or resnet") String arch;

    @Option(names = "--weights", required = true, paramLabel = "FILE") Path weights;

    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

    @Option(names = "--no-tune", description = "skip the per-class alpha search") boolean noTune;

    @Override
    public Integer call() throws Exception {
        Architecture a = Architecture.parse(arch);
        try (NDManager m = common.manager(); Network net = a.create(m, 0)) {
            ModelFiles.loadSafetensors(net, Files.readAllBytes(weights));
            ClassAccuracy acc = Evaluation.accuracy(net, common.splits().test());
            Manifest manifest = new Manifest(Manifest.FORMAT, a.id(), FashionMnist.LABELS, null,
                    TrainCommand.accuracy(acc), null, null, List.of(), null, "lethe import " + weights.getFileName());
            if (!noTune) {
                manifest = manifest.withAlphas(TrainCommand.tuneAll(net, manifest, common.splits()));
            }
            Manifest written = ModelFiles.write(out, net, manifest);
            System.err.printf("imported %s: test accuracy %.2f%%, sha256 %s%n", out, acc.overall() * 100,
                    written.sha256());
        }
        return 0;
    }
}
