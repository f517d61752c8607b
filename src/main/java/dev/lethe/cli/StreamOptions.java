package dev.lethe.cli;

import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.embedded.Endpoints;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Zoo;
import dev.lethe.stream.StreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Lethe keeps its state and how it finds Kafka: shared by run, request, demo and bench e2e. */
public final class StreamOptions {
    @Option(names = "--home", paramLabel = "DIR",
            description = "state directory: embedded broker data, schemas, artifacts, models (default: $LETHE_HOME, else ~/.lethe)")
    Path home;

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file (keys lethe.*, see docs/architecture.md); LETHE_* environment variables override it")
    public Path config;

    public Path home() {
        return home != null ? home : EmbeddedStack.defaultHome();
    }

    public StreamConfig load() throws IOException {
        return StreamConfig.load(home(), config, System.getenv());
    }

    /** Bootstrap and registry of a configured cluster, or of the embedded stack a running {@code lethe run} started. */
    Endpoints endpoints() throws IOException {
        StreamConfig c = load();
        if (!c.embedded()) {
            return new Endpoints(c.get(StreamConfig.BOOTSTRAP), c.get(StreamConfig.REGISTRY), -1);
        }
        return EmbeddedStack.findRunning(home()).orElseThrow(() -> new IllegalStateException(
                "no Lethe is running on " + home() + ": start one with 'bin/lethe run' (or set LETHE_BOOTSTRAP_SERVERS)"));
    }

    /**
     * The demo's and run's base model, kept in the home's models/ARCH: on first use the model
     * zoo's trained and tuned one where it has one (docs/zoo.md), else trained and tuned here.
     */
    public Path baseModel(Common common, String arch) throws Exception {
        Path dir = home().resolve("models").resolve(arch);
        if (!Files.exists(dir.resolve(ModelFiles.MANIFEST))) {
            if (Zoo.install(arch, dir)) {
                System.err.println("lethe: installed the model zoo's trained and tuned " + arch + " in " + dir
                        + " (docs/zoo.md; 'bin/lethe train --arch " + arch + " --out " + dir + "' trains your own)");
            } else {
                System.err.println("no cached " + arch + " model in " + dir + ": training one (once)");
                TrainCommand.train(common, Architecture.parse(arch), null, 42, dir, true);
            }
        }
        return dir;
    }
}
