package dev.lethe.bench;

import dev.lethe.events.DeletionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several instances on one machine: throughput of 1, 2, 3, ... processor instances sharing one
 * application id, and how long a SIGKILLed instance's work waits for another to take it over,
 * with and without a standby replica. Each measurement runs on a group of its own (own topics,
 * own application id) on one broker, after a warm-up round that loads every instance's model.
 */
final class ScaleOutBench {
    static final int MODELS = 6;
    static final int PARTITIONS = 6;
    private static final Duration ANSWER = Duration.ofMinutes(10);

    record Options(Path work, Path data, int requests, int maxInstances, int sessionTimeoutMs, int transactionTimeoutMs) { }

    /** One instance count: requests per minute from the first publish to the last committed answer. */
    record Rate(int instances, int requests, double seconds, int lost, int duplicated) {
        double perMinute() {
            return requests * 60 / seconds;
        }
    }

    /** One takeover: SIGKILL of a model's owner mid-request, to that request's committed version. */
    record Takeover(int standbyReplicas, double seconds, double killedAfterPublishSeconds, boolean sentBeforeKill,
                    int lost, int duplicated) { }

    record Result(List<Rate> rates, List<Takeover> takeovers, double wallSeconds) { }

    private ScaleOutBench() { }

    static Result run(Options o) throws Exception {
        long t0 = System.nanoTime();
        List<Rate> rates = new ArrayList<>();
        List<Takeover> takeovers = new ArrayList<>();
        try (ScaleOutCluster cluster = ScaleOutCluster.start(o.work(), o.data())) {
            for (int n = 1; n <= o.maxInstances(); n++) {
                rates.add(rate(cluster, o, n));
                System.err.printf("scale-out: %d instance(s): %.1f requests/min%n", n, rates.get(n - 1).perMinute());
            }
            for (int standby : new int[] {0, 1}) {
                takeovers.add(takeover(cluster, o, standby));
                System.err.printf("scale-out: takeover with %d standby replica(s): %.1f s%n", standby,
                        takeovers.get(takeovers.size() - 1).seconds());
            }
        }
        return new Result(rates, takeovers, (System.nanoTime() - t0) / 1e9);
    }

    private static Rate rate(ScaleOutCluster cluster, Options o, int instances) throws Exception {
        try (ScaleOutGroup g = ScaleOutGroup.create(cluster, new ScaleOutGroup.Settings("rate-" + instances, PARTITIONS, 0,
                o.sessionTimeoutMs(), o.transactionTimeoutMs()))) {
            g.startProcessors(instances);
            g.registerModels(MODELS);
            g.publishRound(null); // warm-up: every instance has loaded its models and compiled its code paths
            g.awaitAnswered(ANSWER);
            List<String> models = new ArrayList<>(g.models.keySet());
            long start = System.nanoTime();
            for (int i = 0; i < o.requests(); i++) {
                g.publish(models.get(i % models.size()));
            }
            g.awaitAnswered(ANSWER);
            double seconds = (System.nanoTime() - start) / 1e9;
            g.stopAll();
            ChaosVerdict v = g.verdict();
            return new Rate(instances, o.requests(), seconds, v.lost, v.duplicated);
        }
    }

    /**
     * Two instances on two partitions, one model on each. After a warm-up round the owner of the
     * first model is SIGKILLed a quarter of the quickest publish-to-send time (at most 0.5 s) after
     * its next request is published, so most likely while it computes; the figure runs from the kill to the moment a
     * read_committed reader sees that request's version, written by the other instance.
     */
    private static Takeover takeover(ScaleOutCluster cluster, Options o, int standby) throws Exception {
        try (ScaleOutGroup g = ScaleOutGroup.create(cluster, new ScaleOutGroup.Settings("takeover-" + standby, 2, standby,
                o.sessionTimeoutMs(), o.transactionTimeoutMs()))) {
            g.startProcessors(2);
            g.registerModels(2);
            g.publishRound(null);
            g.awaitAnswered(ANSWER);
            String target = g.models.keySet().iterator().next();
            int victim = g.owner(target);
            if (victim < 0) {
                throw new IllegalStateException("no live instance holds " + target + "'s partition");
            }
            double quickest = g.quickestSecondsToSend();
            DeletionRequest req = g.publish(target);
            long killAt = g.publishedAtNanos(req.getRequestId()) + (long) (Math.min(0.5, 0.25 * quickest) * 1e9);
            while (System.nanoTime() < killAt) {
                Thread.sleep(1);
            }
            boolean sent = g.uncommitted.version(req.getRequestId()) != null;
            long killed = g.processors.get(victim).kill();
            g.awaitAnswered(ANSWER);
            double seconds = (g.committedAtNanos(req.getRequestId()) - killed) / 1e9;
            g.stopAll();
            ChaosVerdict v = g.verdict();
            return new Takeover(standby, seconds, (killed - g.publishedAtNanos(req.getRequestId())) / 1e9, sent, v.lost,
                    v.duplicated);
        }
    }
}
