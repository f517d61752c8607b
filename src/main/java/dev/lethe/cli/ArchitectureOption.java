package dev.lethe.cli;

import dev.lethe.model.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --arch NAME} (a shipped architecture) or {@code --spec FILE} (a description of your own). */
final class ArchitectureOption {
    @Option(names = "--arch", paramLabel = "NAME",
            description = "a shipped architecture: mlp, vgg, resnet, resnet18-cifar, resnet18, vgg11-bn, vit")
    String name;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "your own architecture description, JSON (docs/architectures.md)")
    Path spec;

    Architecture resolve() throws IOException {
        return spec != null ? Architecture.fromFile(spec) : Architecture.parse(name);
    }
}
