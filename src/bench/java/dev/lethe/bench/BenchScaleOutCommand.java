package dev.lethe.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.cli.Common;
import dev.lethe.data.FashionMnist;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scale-out", description = {"Several processor instances (lethe run JVMs, one application id) on one "
        + "broker on this machine: requests per minute for 1..N instances as ratios to 1 instance (six models on six "
        + "partitions, a small MLP), and the takeover time after a SIGKILL mid-request with 0 and 1 standby replicas.",
        "Exit status 1 when any request was lost or answered twice."})
final class BenchScaleOutCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--requests", defaultValue = "12", description = "measured requests per instance count, after a "
            + "warm-up round of one per model (default: ${DEFAULT-VALUE}, at most 48)")
    int requests;

    @Option(names = "--max-instances", defaultValue = "3", description = "measure 1..N instances (default: ${DEFAULT-VALUE})")
    int maxInstances;

    @Option(names = "--takeover-only", description = "skip the throughput runs: only the two takeovers")
    boolean takeoverOnly;

    @Option(names = "--session-timeout-ms", defaultValue = "10000", description = "the processors' session.timeout.ms: "
            + "how long a killed instance keeps its partitions (default: ${DEFAULT-VALUE}; Kafka's own default is 45000)")
    int sessionTimeoutMs;

    @Option(names = "--transaction-timeout-ms", defaultValue = "20000", description = "the processors' "
            + "producer.transaction.timeout.ms (default: ${DEFAULT-VALUE})")
    int transactionTimeoutMs;

    @Mixin ClusterRunOptions run;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || requests > 8 * ScaleOutBench.MODELS || maxInstances < 1 || maxInstances > ScaleOutBench.PARTITIONS) {
            throw new IllegalArgumentException("--requests must be 1.." + 8 * ScaleOutBench.MODELS
                    + " and --max-instances 1.." + ScaleOutBench.PARTITIONS);
        }
        Path dir = run.directory("scale-out");
        System.err.println("scale-out: working directory " + dir + " (processor logs there)");
        ScaleOutBench.Result r;
        try {
            r = ScaleOutBench.run(new ScaleOutBench.Options(dir, FashionMnist.locate(common.data), requests,
                    takeoverOnly ? 0 : maxInstances, sessionTimeoutMs, transactionTimeoutMs));
        } finally {
            if (!run.keepData) {
                ChaosBench.deleteDataDirectories(dir);
            }
        }
        ObjectNode o = report(r);
        o.put("session_timeout_ms", sessionTimeoutMs);
        o.put("transaction_timeout_ms", transactionTimeoutMs);
        run.print(o);
        boolean clean = r.rates().stream().allMatch(x -> x.lost() == 0 && x.duplicated() == 0)
                && r.takeovers().stream().allMatch(x -> x.lost() == 0 && x.duplicated() == 0);
        return clean ? 0 : 1;
    }

    static ObjectNode report(ScaleOutBench.Result r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("machine", Machine.describe());
        o.put("models", ScaleOutBench.MODELS);
        o.put("partitions", ScaleOutBench.PARTITIONS);
        double base = r.rates().isEmpty() ? 0 : r.rates().get(0).perMinute();
        ArrayNode rates = o.putArray("throughput");
        for (ScaleOutBench.Rate x : r.rates()) {
            rates.addObject().put("instances", x.instances()).put("requests", x.requests()).put("seconds", BenchChaosCommand.round(x.seconds()))
                    .put("requests_per_minute", BenchChaosCommand.round(x.perMinute())).put("ratio_to_1", BenchChaosCommand.round(x.perMinute() / base))
                    .put("lost", x.lost()).put("duplicated", x.duplicated());
        }
        ArrayNode t = o.putArray("takeover");
        for (ScaleOutBench.Takeover x : r.takeovers()) {
            t.addObject().put("standby_replicas", x.standbyReplicas()).put("seconds", BenchChaosCommand.round(x.seconds()))
                    .put("killed_after_publish_seconds", BenchChaosCommand.round(x.killedAfterPublishSeconds()))
                    .put("version_sent_before_kill", x.sentBeforeKill()).put("lost", x.lost()).put("duplicated", x.duplicated());
        }
        o.put("wall_seconds", BenchChaosCommand.round(r.wallSeconds()));
        return o;
    }
}
