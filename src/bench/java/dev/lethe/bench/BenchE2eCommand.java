package dev.lethe.bench;

import dev.lethe.cli.StreamOptions;
import dev.lethe.cli.Common;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.app.Client;
import dev.lethe.app.Deployment;

import dev.lethe.data.FashionMnist;
import dev.lethe.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "e2e", description = "Deletion requests through Kafka: publish-to-consumed latency against the processor's compute time.")
final class BenchE2eCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin StreamOptions stream;

    @Option(names = "--requests", defaultValue = "10", description = "measured requests (default: ${DEFAULT-VALUE}), after one warm-up")
    int requests;

    @Option(names = "--arch", defaultValue = "vgg") String arch;

    @Option(names = "--pause", defaultValue = "1", description = "seconds between requests, after the engine's "
            + "background (statistics and prepared sides of new versions) is idle (default: ${DEFAULT-VALUE})")
    double pause;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Option(names = "--contention", defaultValue = "0", paramLabel = "N", description = "after the measured requests, "
            + "as many again beside N CPU-burning processes; reports contention_slowdown = median compute with / without")
    int contention;

    @Override
    public Integer call() throws Exception {
        Path modelDir = stream.baseModel(common, arch);
        Path data = FashionMnist.locate(common.data);
        // A fresh embedded home per run: the benchmark never mixes with the user's history.
        Path home = Files.createTempDirectory("lethe-bench-e2e");
        StreamConfig config = StreamConfig.load(home, stream.config, System.getenv());
        EndToEndBench.Result r;
        EndToEndBench.Result loaded = null;
        String loadBefore = Machine.loadAverage();
        try (Deployment d = Deployment.start(home, config);
             Client client = new Client(d.config().get(StreamConfig.BOOTSTRAP), d.registry(), d.config().topics())) {
            r = EndToEndBench.run(d, client, modelDir, data, requests,
                    java.time.Duration.ofMillis((long) (pause * 1000)));
            if (contention > 0) {
                // Same deployment, same warm JIT: the two medians differ only in the other load.
                System.err.printf("  now beside %d CPU-burning processes%n", contention);
                try (Burners b = Burners.start(contention)) {
                    loaded = EndToEndBench.run(d, client, modelDir, data, requests,
                            java.time.Duration.ofMillis((long) (pause * 1000)));
                }
            }
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("native_threads", dev.lethe.ops.NativeThreads.configure().describe());
        o.put("load_average_before", loadBefore);
        o.put("load_average_after", Machine.loadAverage());
        if (loaded != null) {
            o.put("contention", contention);
            o.put("quiet_median_compute_seconds", r.medianCompute());
            o.put("loaded_median_compute_seconds", loaded.medianCompute());
            o.put("contention_slowdown", loaded.medianCompute() / r.medianCompute());
            o.put("loaded_median_end_to_end_seconds", loaded.medianEndToEnd());
            o.put("loaded_cold_compute_seconds", loaded.coldComputeSeconds());
            ArrayNode each = o.putArray("loaded_compute_seconds");
            loaded.samples().forEach(x -> each.add(x.computeSeconds()));
        }
        o.put("requests", r.samples().size());
        o.put("median_end_to_end_seconds", r.medianEndToEnd());
        o.put("median_compute_seconds", r.medianCompute());
        o.put("kafka_overhead_ratio", r.overheadRatio());
        o.put("cold_compute_seconds", r.coldComputeSeconds());
        o.put("warm_to_cold_ratio", r.medianCompute() / r.coldComputeSeconds());
        o.put("cache_bytes_per_version", r.cacheBytesPerVersion());
        o.put("pause_seconds", pause);
        o.put("warm_requests", r.samples().stream().filter(EndToEndBench.Sample::warm).count());
        o.put("machine", Machine.describe());
        ArrayNode all = o.putArray("samples");
        for (EndToEndBench.Sample s : r.samples()) {
            ObjectNode n = all.addObject();
            n.put("request_id", s.requestId());
            n.put("class", s.cls());
            n.put("end_to_end_seconds", s.endToEndSeconds());
            n.put("compute_seconds", s.computeSeconds());
            n.put("warm_retain_statistics", s.warm());
        }
        System.out.println(json ? o.toString() : o.toPrettyString());
        return 0;
    }
}
