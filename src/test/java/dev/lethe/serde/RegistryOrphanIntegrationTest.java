package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 4: after {@code kill -9} of the process that started it, the embedded
 * registry exits by itself; and a registry orphaned on the same database by an older Lethe is
 * stopped, so the next start neither fails on H2's file lock nor needs a manual step.
 */
@Tag("integration")
@Timeout(240)
class RegistryOrphanIntegrationTest {

    @Test
    void theRegistryDiesWithItsParentAfterKillMinusNine(@TempDir Path dir) throws Exception {
        Process parent = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                RegistryParentMain.class.getName(), runnerJar().toString(), dir.resolve("registry").toString())
                .redirectErrorStream(true).start();
        long registryPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            registryPid = readPid(out);
            ProcessHandle registry = ProcessHandle.of(registryPid).orElseThrow();
            assertTrue(registry.isAlive());
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
            long killed = System.nanoTime();
            registry.onExit().get(60, TimeUnit.SECONDS);
            System.out.printf("registry exited %.1f s after its parent was killed%n", (System.nanoTime() - killed) / 1e9);
        } finally {
            parent.destroyForcibly();
        }
        // The next start on the same database works without anyone stepping in.
        try (EmbeddedRegistry again = ApicurioServer.startOwn(dir.resolve("registry"), EmbeddedRegistry.Storage.FILE)) {
            assertTrue(again.process().isAlive());
        }
    }

    @Test
    void aRegistryOrphanedOnTheSameDatabaseIsStoppedBeforeTheStart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("registry");
        Files.createDirectories(data);
        String database = "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + data.toAbsolutePath().resolve("registry-db/registry");
        // Launched as an older Lethe did: plain -jar, nothing watching its parent.
        Process orphan = new ProcessBuilder(java(), "-Xmx384m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0",
                database, "-jar", runnerJar().toString()).directory(data.toFile())
                .redirectErrorStream(true).redirectOutput(data.resolve("orphan.log").toFile()).start();
        try {
            awaitLine(data.resolve("orphan.log"), "started in", 120);
            try (EmbeddedRegistry registry = ApicurioServer.startOwn(data, EmbeddedRegistry.Storage.FILE)) {
                assertTrue(orphan.waitFor(30, TimeUnit.SECONDS), "the orphan was stopped");
                assertTrue(registry.process().isAlive());
            }
            assertEquals(0, EmbeddedRegistry.stopOrphans(database), "none left after a clean close");
        } finally {
            orphan.destroyForcibly();
        }
    }

    private static long readPid(BufferedReader out) throws Exception {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("registry-pid ")) {
                return Long.parseLong(line.substring("registry-pid ".length()).trim());
            }
        }
        throw new IllegalStateException("the parent ended before printing the registry's pid");
    }

    private static void awaitLine(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("'" + text + "' not in " + log + " after " + seconds + " s");
    }

    private static Path runnerJar() {
        return EmbeddedRegistry.findRunnerJar(ApicurioServer.distribution());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
