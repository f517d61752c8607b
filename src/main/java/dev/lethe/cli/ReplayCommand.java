package dev.lethe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.embedded.Endpoints;
import dev.lethe.replay.History;
import dev.lethe.replay.HistoryFile;
import dev.lethe.replay.HistoryReader;
import dev.lethe.replay.Replayer;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.store.ArtifactStore;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", description = "Rebuild every model version from its base and the recorded requests, "
        + "and check each against its event (weights, stored artifact, lineage chain). Exits 1 at the first divergence.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin StreamOptions stream;

    @Option(names = "--from", paramLabel = "FILE", description = "replay an exported history instead of the Kafka topics")
    Path from;

    @Option(names = "--export", paramLabel = "FILE", description = "also write the history read from Kafka to FILE")
    Path export;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        StreamConfig config = stream.load();
        History history = from != null ? HistoryFile.read(from) : readKafka(config);
        if (export != null) {
            HistoryFile.write(history, export);
            System.err.println("history written to " + export);
        }
        Replayer.Report report;
        try (ArtifactStore store = config.openArtifactStore()) {
            report = new Replayer(store).replay(history, line -> {
                if (!json) {
                    System.out.println(line);
                }
            });
        }
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("versions_checked", report.lines().size());
            o.put("mismatches", report.mismatches());
            o.put("models", history.registrations().size());
            ArrayNode lines = o.putArray("versions");
            report.lines().forEach(l -> lines.addObject().put("model", l.modelId()).put("version", l.version())
                    .put("ok", l.ok()).put("detail", l.detail()));
            System.out.println(o.toString());
        } else {
            System.out.printf("%d versions checked, %d mismatches%n", report.lines().size(), report.mismatches());
        }
        return report.mismatches() == 0 ? 0 : 1;
    }

    /** From the configured cluster, a running embedded one, or the embedded one started just for this. */
    private History readKafka(StreamConfig config) throws Exception {
        if (!config.embedded()) {
            return HistoryReader.read(config.get(StreamConfig.BOOTSTRAP),
                    config.registryClient(config.get(StreamConfig.REGISTRY)), config.topics());
        }
        Optional<Endpoints> running = EmbeddedStack.findRunning(stream.home());
        if (running.isPresent()) {
            return HistoryReader.read(running.get().bootstrapServers(),
                    new RestSchemaRegistry(running.get().registryUrl()), config.topics());
        }
        try (EmbeddedStack stack = EmbeddedStack.start(stream.home(), EmbeddedStack.locateApicurio())) {
            return HistoryReader.read(stack.bootstrapServers(), new RestSchemaRegistry(stack.registryUrl()), config.topics());
        }
    }
}
