package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import dev.lethe.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", description = "Write a model's weights as safetensors with PyTorch state-dict names.")
final class ExportCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;

    @Override
    public Integer call() throws Exception {
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, m)) {
            Files.write(out, ModelFiles.weightBytes(loaded.network()));
            System.err.printf("%s: %s state dict (load in PyTorch with safetensors.torch.load_file; "
                    + "architectures in docs/architectures.md)%n", out, loaded.manifest().architecture());
        }
        return 0;
    }
}
