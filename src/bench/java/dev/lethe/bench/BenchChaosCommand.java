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

@Command(name = "chaos", description = {"Processors in JVMs of their own against one broker: N valid requests, K SIGKILLs "
        + "of a processor (aimed mid-compute and mid-commit) with restarts, one broker SIGKILL and restart; then counts "
        + "what read_committed shows: lost, duplicated, lineage breaks, replay mismatches.",
        "Exit status 1 when any of those is not 0."})
final class BenchChaosCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--requests", defaultValue = "100", description = "deletion requests (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--kills", defaultValue = "10", description = "SIGKILLs of a processor (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--instances", defaultValue = "2", description = "processor JVMs (default: ${DEFAULT-VALUE})")
    int instances;

    @Option(names = "--seed", description = "seed of the kill moments and requests (default: the clock; printed to rerun)")
    Long seed;

    @Option(names = "--no-broker-restart", description = "skip the broker's SIGKILL and restart mid-run")
    boolean noBrokerRestart;

    @Option(names = "--no-replay", description = "skip rebuilding every version with the replay package")
    boolean noReplay;

    @Option(names = "--no-static-membership", description = "no group.instance.id per processor: a restarted one "
            + "then waits for the group to drop its dead predecessor (session.timeout.ms)")
    boolean noStaticMembership;

    @Option(names = "--max-forget-accuracy", defaultValue = "1.0", description = "lethe.quality.max-forget-accuracy of the "
            + "processors (default: ${DEFAULT-VALUE}: the gate off, so that a briefly trained model's versions all publish)")
    double maxForgetAccuracy;

    @Mixin ClusterRunOptions run;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || kills < 0 || instances < 1) {
            throw new IllegalArgumentException("--requests and --instances must be at least 1, --kills at least 0");
        }
        long s = seed != null ? seed : System.currentTimeMillis();
        Path dir = run.directory("chaos");
        System.err.println("chaos: seed " + s + ", working directory " + dir + " (processor and broker logs there)");
        ChaosBench.Result r = ChaosBench.run(new ChaosBench.Options(requests, kills, instances, s, !noBrokerRestart,
                maxForgetAccuracy, dir, FashionMnist.locate(common.data), !noReplay, !noStaticMembership, run.keepData));
        ObjectNode o = report(r);
        run.print(o);
        ChaosVerdict v = r.verdict();
        return v.lost == 0 && v.duplicated == 0 && v.lineageBreaks == 0 && r.replayMismatches() <= 0 ? 0 : 1;
    }

    static ObjectNode report(ChaosBench.Result r) {
        ChaosVerdict v = r.verdict();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("requests", r.options().requests());
        o.put("kills", r.kills().size());
        o.put("instances", r.options().instances());
        o.put("partitions", r.partitions());
        o.put("models", (r.options().requests() + ChaosBench.REQUESTS_PER_MODEL - 1) / ChaosBench.REQUESTS_PER_MODEL);
        o.put("versions", v.versions);
        o.put("lost", v.lost);
        o.put("duplicated", v.duplicated);
        o.put("refused", v.refused);
        o.put("lineage_breaks", v.lineageBreaks);
        o.put("replay_mismatches", r.replayMismatches());
        o.put("replayed_versions", r.replayed());
        o.put("max_recovery_seconds", round(r.maxRecoverySeconds()));
        o.put("kills_mid_compute", r.kills().stream().filter(k -> k.phase().equals("mid-compute")).count());
        o.put("kills_mid_commit", r.kills().stream().filter(k -> k.phase().equals("mid-commit")).count());
        o.put("kills_after_commit", r.kills().stream().filter(k -> k.phase().equals("after-commit")).count());
        o.put("aborted_version_records", v.abortedVersionRecords);
        o.put("broker_restarted", r.options().brokerRestart());
        o.put("broker_recovery_seconds", round(r.brokerRecoverySeconds()));
        o.put("max_forget_accuracy", r.options().maxForgetAccuracy());
        o.put("static_membership", r.options().staticMembership());
        o.put("commit_interval_ms", ChaosBench.COMMIT_INTERVAL_MS);
        o.put("seed", r.options().seed());
        o.put("cpus", Runtime.getRuntime().availableProcessors());
        o.put("wall_seconds", round(r.wallSeconds()));
        o.put("machine", Machine.describe());
        ArrayNode ks = o.putArray("kill_log");
        for (ChaosBench.Kill k : r.kills()) {
            ks.addObject().put("instance", k.instance()).put("aimed_at", k.aimedAt()).put("hit", k.phase())
                    .put("request_id", k.requestId()).put("seconds_after_publish", round(k.secondsAfterPublish()))
                    .put("recovery_seconds", round(k.recoverySeconds()));
        }
        ArrayNode ps = o.putArray("problems");
        v.problems.forEach(ps::add);
        return o;
    }

    /** Two decimals, as every bench report prints seconds and rates. */
    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
