package dev.lethe.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a bench that runs a whole cluster (broker, registry, processors) works, and how it prints. */
final class ClusterRunOptions {
    @Option(names = "--work", paramLabel = "DIR",
            description = "working directory (default: a fresh temporary one, kept for its logs)")
    Path work;

    @Option(names = "--keep-data", description = "keep the broker's log, the artifacts and the state stores "
            + "(gigabytes); by default only the logs stay in the working directory")
    boolean keepData;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    /** {@code --work}, else a new temporary directory named after the bench. */
    Path directory(String bench) throws IOException {
        return work != null ? work : Files.createTempDirectory("lethe-" + bench);
    }

    void print(ObjectNode result) {
        System.out.println(json ? result.toString() : result.toPrettyString());
    }
}
