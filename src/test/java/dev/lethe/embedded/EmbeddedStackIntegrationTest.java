package dev.lethe.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole embedded mode under one home: what it publishes while it runs, and that it runs once per home. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedStackIntegrationTest {

    @Test
    void publishesItsEndpointsWhileRunningAndRefusesASecondStackOnTheSameHome(@TempDir Path home) throws Exception {
        Path endpointsFile = home.resolve(Endpoints.FILE);
        try (EmbeddedStack stack = EmbeddedStack.start(home, EmbeddedStack.locateApicurio())) {
            Endpoints published = EmbeddedStack.findRunning(home).orElseThrow();
            assertEquals(new Endpoints(stack.bootstrapServers(), stack.registryUrl(), ProcessHandle.current().pid()), published);
            assertEquals(200, httpGet(stack.registryUrl() + "/subjects"), "the registry answers at the published URL");
            byte[] weights = "weights".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(weights, stack.artifactStore().get(stack.artifactStore().put(weights).uri()));
            assertTrue(Files.isRegularFile(home.resolve("kafka/meta.properties")));
            assertTrue(stack.artifactStore().root().startsWith(home.toRealPath().resolve("artifacts")));

            EmbeddedStack.AlreadyRunningException inThisJvm = assertThrows(EmbeddedStack.AlreadyRunningException.class,
                    () -> EmbeddedStack.start(home, EmbeddedStack.locateApicurio()).close());
            assertTrue(inThisJvm.getMessage().contains("process " + published.pid()), inThisJvm.getMessage());
            assertRefusedByAnotherProcess(home, published);
        }
        assertFalse(Files.exists(endpointsFile), "close() withdraws the endpoints");
        assertEquals(Optional.empty(), EmbeddedStack.findRunning(home));
        try (DirectoryLock released = DirectoryLock.tryAcquire(home, EmbeddedStack.LOCK_FILE).orElseThrow()) {
            // close() released the home: the next start may take it
        }
    }

    @Test
    void aLeftoverEndpointsFileOfADeadProcessIsNotARunningStack(@TempDir Path home) {
        long deadPid = ProcessHandle.current().pid() + 1_000_000; // beyond Linux's pid_max
        new Endpoints("127.0.0.1:1", "http://127.0.0.1:1/apis/ccompat/v7", deadPid).writeTo(home);
        assertEquals(Optional.empty(), EmbeddedStack.findRunning(home));
    }

    @Test
    void locateApicurioHonoursTheSystemPropertyAndNamesItWhenWrong(@TempDir Path empty) {
        String previous = System.getProperty(EmbeddedStack.APICURIO_DIR_PROPERTY);
        System.setProperty(EmbeddedStack.APICURIO_DIR_PROPERTY, empty.toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, EmbeddedStack::locateApicurio);
            assertTrue(e.getMessage().contains(EmbeddedStack.APICURIO_DIR_PROPERTY), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedStack.APICURIO_DIR_PROPERTY);
            } else {
                System.setProperty(EmbeddedStack.APICURIO_DIR_PROPERTY, previous);
            }
        }
    }

    /** The OS lock, not only this JVM's bookkeeping, keeps a second process off the home. */
    private static void assertRefusedByAnotherProcess(Path home, Endpoints running) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), home.toString())).redirectErrorStream(true).start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, probe.exitValue(), output);
        assertTrue(output.contains("already running on " + home.toRealPath()) && output.contains(running.bootstrapServers()), output);
    }

    private static int httpGet(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
