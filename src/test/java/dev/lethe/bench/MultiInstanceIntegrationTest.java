package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.FashionMnist;
import dev.lethe.events.DeletionRequest;
import dev.lethe.replay.Replayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances, one cluster: three {@code lethe run} JVMs with one application id and their
 * own state directories share six partitions and six models, requests for all models
 * interleaved. One instance is stopped cleanly (SIGTERM) with a round in flight; later the owner
 * of a model is SIGKILLed while that model's request computes; the last instance takes over.
 * read_committed must then show every request answered by exactly one version, every model's
 * lineage unbroken, and the replay of the whole history must rebuild every version bit for bit.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MultiInstanceIntegrationTest {
    private static final Duration ROUND = Duration.ofMinutes(3);

    @Test
    void instancesShareTheWorkAndTakeOverAfterACloseAndAKill(@TempDir Path work) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("LETHE_DATA", FashionMnist.DEFAULT_DIR));
        Assumptions.assumeTrue(Files.exists(data.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed");
        long t0 = System.nanoTime();
        try (ScaleOutCluster cluster = ScaleOutCluster.start(work, data);
             ScaleOutGroup g = ScaleOutGroup.create(cluster, new ScaleOutGroup.Settings("multi", 6, 1, 10_000, 20_000))) {
            g.startProcessors(3);
            g.registerModels(6);
            List<String> models = new ArrayList<>(g.models.keySet());
            assertEquals(Set.of(0, 1, 2), awaitOwners(g, models, Set.of(0, 1, 2)), "all three instances hold some of the six partitions");

            // A clean stop with a round in flight: its request finishes or aborts, and is redone elsewhere.
            int closed = g.owner(models.get(0));
            g.publishRound(models.get(0));
            g.processors.get(closed).stop(Duration.ofSeconds(70));
            assertEquals(0, g.processors.get(closed).exitValue(), "SIGTERM ends in a clean close");
            g.awaitAnswered(ROUND);

            // SIGKILL of a model's owner while that model's request computes.
            String target = models.stream().filter(m -> ownerOrFail(g, m) != closed).findFirst().orElseThrow();
            int victim = g.owner(target);
            double quickest = g.quickestSecondsToSend();
            DeletionRequest req = g.publishRound(target).get(0);
            // Soon after the poll (milliseconds), long before the send: a quarter of the quickest
            // publish-to-send seen so far, at most 0.5 s (on a loaded machine that estimate runs high).
            double delay = Math.min(0.5, 0.25 * quickest);
            long killAt = g.publishedAtNanos(req.getRequestId()) + (long) (delay * 1e9);
            while (System.nanoTime() < killAt) {
                Thread.sleep(1);
            }
            boolean sentBeforeKill = g.uncommitted.version(req.getRequestId()) != null;
            long killed = g.processors.get(victim).kill();
            g.awaitAnswered(ROUND);
            double takeover = (g.committedAtNanos(req.getRequestId()) - killed) / 1e9;
            assertTrue(takeover > 0, "the kill interrupted " + req.getRequestId() + " before its version committed; "
                    + "another instance answered it " + takeover + " s after the kill");
            int survivor = 3 - closed - victim;
            assertEquals(Set.of(survivor), awaitOwners(g, models, Set.of(survivor)), "the last instance holds every partition");

            g.publishRound(null);
            g.awaitAnswered(ROUND);
            g.stopAll();

            ChaosVerdict v = g.verdict();
            assertEquals(0, v.lost, v.problems::toString);
            assertEquals(0, v.duplicated, v.problems::toString);
            assertEquals(0, v.lineageBreaks, v.problems::toString);
            assertEquals(0, v.refused, v.problems::toString); // the quality gate is off: every request is valid
            assertEquals(g.published.size(), v.versions, "one committed version per request");
            Replayer.Report replay = g.replay();
            assertEquals(0, replay.mismatches(), replay.lines()::toString);
            assertTrue(replay.lines().size() >= g.published.size() + models.size(),
                    "the replay covered every version and base: " + replay.lines().size());
            System.err.printf("multi-instance IT: %d requests over %d models, 3 instances; clean stop of %s; SIGKILL of %s "
                            + "%.2f s after publishing %s (%s; quickest send so far %.2f s); takeover: kill to the "
                            + "request's committed version in %.1f s (standby replicas 1, session timeout 10 s, "
                            + "transaction timeout 20 s); %d aborted version records; %d versions replayed; %.0f s in all%n",
                    g.published.size(), models.size(), g.instanceId(closed), g.instanceId(victim),
                    (killed - g.publishedAtNanos(req.getRequestId())) / 1e9, req.getRequestId(),
                    sentBeforeKill ? "its version already sent" : "before its version was sent", quickest, takeover,
                    v.abortedVersionRecords, replay.lines().size(), (System.nanoTime() - t0) / 1e9);
            assertNotEquals(closed, victim);
        }
    }

    private static Set<Integer> owners(ScaleOutGroup g, List<String> models) throws Exception {
        Set<Integer> out = new TreeSet<>();
        for (String m : models) {
            out.add(g.owner(m));
        }
        return out;
    }

    /** The owners once they are {@code expected}, or as they are after 60 s: a rebalance may still be settling. */
    private static Set<Integer> awaitOwners(ScaleOutGroup g, List<String> models, Set<Integer> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<Integer> seen = owners(g, models);
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            seen = owners(g, models);
        }
        return seen;
    }

    private static int ownerOrFail(ScaleOutGroup g, String model) {
        try {
            return g.owner(model);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
