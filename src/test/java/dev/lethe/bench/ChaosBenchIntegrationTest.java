package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos bench in small: one processor JVM, 6 requests, 2 SIGKILLs and restarts of the
 * processor, one SIGKILL and restart of the broker JVM. Nothing may be lost, doubled, broken
 * in lineage or fail to replay bit for bit.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ChaosBenchIntegrationTest {

    @Test
    void killsLoseNothingAndDoubleNothing(@TempDir Path work) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("LETHE_DATA", FashionMnist.DEFAULT_DIR));
        Assumptions.assumeTrue(Files.exists(data.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed");
        ChaosBench.Result r = ChaosBench.run(new ChaosBench.Options(6, 2, 1, 14L, true, 1.0, work, data, true, true, false));
        System.err.println("chaos IT: " + BenchChaosCommand.report(r).toPrettyString());
        ChaosVerdict v = r.verdict();
        assertEquals(0, v.lost, v.problems::toString);
        assertEquals(0, v.duplicated, v.problems::toString);
        assertEquals(0, v.lineageBreaks, v.problems::toString);
        assertEquals(0, v.refused, v.problems::toString);
        assertEquals(6, v.versions, "one committed version per request");
        assertEquals(0, r.replayMismatches());
        assertTrue(r.replayed() >= 6 + 2, "the replay checked the request versions and the base versions: " + r.replayed());
        assertEquals(2, r.kills().size());
        assertTrue(r.kills().stream().allMatch(k -> k.recoverySeconds() > 0 && k.recoverySeconds() < 240), r.kills()::toString);
        assertTrue(r.brokerRecoverySeconds() > 0, "the broker was restarted");
        try (var left = Files.list(work)) {
            assertEquals(java.util.List.of(), left.filter(Files::isDirectory).toList(), "gigabytes of data left behind");
        }
        assertTrue(Files.readString(work.resolve("instance-0.log")).contains("processing deletion requests"), "the log is kept");
    }
}
