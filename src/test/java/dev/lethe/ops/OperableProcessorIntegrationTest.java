package dev.lethe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.app.Client;
import dev.lethe.bench.ChaosBench;
import dev.lethe.data.FashionMnist;
import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.embedded.Endpoints;
import dev.lethe.events.DeletionRequest;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.lineage.Topics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lethe run} as an operator meets it, in a process of its own with the embedded broker and
 * registry: readiness only once Kafka Streams is RUNNING, Lethe's series moving after a request,
 * a scrape that Prometheus's own checker accepts, a secret that appears nowhere, a {@code serve}
 * instance ready once it holds the new version, and SIGTERM ending each in a clean close with exit status 0.
 */
@Tag("integration")
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OperableProcessorIntegrationTest {
    private static final String SECRET = "s3cr3t-never-shown";
    private static final String MODEL = "ops-mlp";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void healthMetricsAndCleanStop(@TempDir Path home) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("LETHE_DATA", FashionMnist.DEFAULT_DIR));
        Assumptions.assumeTrue(Files.exists(data.resolve("train-images-idx3-ubyte.gz")), "Fashion-MNIST not installed");
        ChaosBench.trainSmallMlp(home.resolve("models/mlp"), data); // the same small model the chaos bench runs
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = home.resolve("run.log");
        Process run = startRun(home, data, port, log);
        try {
            List<String> seen = awaitReady(port, run, log);
            assertTrue(seen.stream().anyMatch(s -> s.startsWith("503")), "not ready before RUNNING: " + seen);
            assertTrue(seen.stream().filter(s -> s.startsWith("200")).allMatch(s -> s.equals("200 RUNNING")),
                    "ready only when RUNNING: " + seen);

            Endpoints e = awaitEndpoints(home);
            Map<String, Double> before;
            try (Client client = new Client(e.bootstrapServers(), new RestSchemaRegistry(e.registryUrl()), Topics.DEFAULT);
                 Client.Follower follower = client.follow()) {
                follower.awaitHead(MODEL, Duration.ofMinutes(1)); // the base version: registration done
                before = PrometheusText.parse(get(port, "/metrics").body());
                DeletionRequest req = DeletionRequest.newBuilder().setRequestId("ops-1").setModelId(MODEL)
                        .setClassIndices(List.of(6)).setClassLabels(List.of()).setRequestedBy("test").setReason("ops test").setTenant("t")
                        .setRequestedAt(Instant.now()).build();
                client.request(req);
                assertTrue(follower.awaitRequest("ops-1", Duration.ofMinutes(2)).version().isPresent(), "a new version");
            }
            String scrape = get(port, "/metrics").body();
            Map<String, Double> after = PrometheusText.parse(scrape);
            assertMoved(before, after, 1, "lethe_requests_total", "decision=\"accepted\"");
            assertMoved(before, after, 1, "lethe_versions_emitted_total", "model=\"" + MODEL + "\"");
            assertMoved(before, after, 1, "lethe_compute_seconds_count", "model=\"" + MODEL + "\"");
            assertMoved(before, after, 1, "lethe_retain_statistics_cache_total");
            assertEquals(0, PrometheusText.sum(after, "lethe_dead_letters_total"));
            assertTrue(PrometheusText.sum(after, "lethe_seconds_since_last_version", "model=\"" + MODEL + "\"") < 120);
            assertTrue(PrometheusText.sum(after, "lethe_compute_seconds_bucket", "le=\"+Inf\"") >= 1, "a histogram");
            assertTrue(PrometheusText.sum(after, "kafka_stream_thread_process_total") >= 0
                    && after.keySet().stream().anyMatch(k -> k.startsWith("kafka_")), "the Kafka Streams binder");
            assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "the JVM binders");
            assertFalse(scrape.contains(SECRET), "a secret in /metrics");
            checkWithPromtool(scrape, home);

            checkServe(home, data);

            long t0 = System.nanoTime();
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(70, TimeUnit.SECONDS), "stopped within lethe.shutdown.seconds");
            String out = Files.readString(log);
            assertEquals(0, run.exitValue(), out);
            assertTrue(out.contains("stopped cleanly"), out);
            assertFalse(out.contains(SECRET), "a secret in the log");
            assertTrue(out.contains("lethe.kafka.ssl.key.password=" + KafkaSettings.MASK), "masked, not dropped: " + out);
            System.err.printf("ops IT: SIGTERM to exit 0 in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } finally {
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A serving instance on the same stack: ready once it holds the new version, exit 0 on SIGTERM. */
    private void checkServe(Path home, Path data) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = home.resolve("serve.log");
        Endpoints e = awaitEndpoints(home);
        // As a container runs it: the cluster configured, the bind address from the environment.
        Process serve = start(home, log, Map.of("LETHE_BOOTSTRAP_SERVERS", e.bootstrapServers(),
                "LETHE_REGISTRY_URL", e.registryUrl(), "LETHE_HTTP_BIND", "127.0.0.1"),
                "serve", "--home", home.toString(), "--model", MODEL, "--port", Integer.toString(port));
        try {
            List<String> seen = awaitReady(port, serve, log);
            assertTrue(seen.get(seen.size() - 1).startsWith("200 serving version "), seen.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!get(port, "/health/ready").body().trim().equals("serving version 1")) {
                assertTrue(System.nanoTime() < deadline, "serve never caught up with version 1: " + read(log));
                Thread.sleep(200);
            }
            assertTrue(get(port, "/metrics").body().contains("\nlethe_serve_version 1.0\n"));
            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stopped");
            assertEquals(0, serve.exitValue(), read(log));
        } finally {
            serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process startRun(Path home, Path data, int port, Path log) throws IOException {
        // Ignored on a PLAINTEXT listener, but printed with the settings: it must come out masked.
        return start(home, log, Map.of("LETHE_KAFKA_SSL_KEY_PASSWORD", SECRET, "LETHE_SHUTDOWN_SECONDS", "60"), "run", "--home", home.toString(), "--data", data.toString(), "--arch", "mlp",
                "--model-id", MODEL, "--http-port", Integer.toString(port));
    }

    /** The real command in a JVM of its own, as bin/lethe starts it (same class path). */
    private static Process start(Path home, Path log, Map<String, String> env, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx2g", "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), "dev.lethe.cli.Main"));
        cmd.addAll(List.of(args));
        Optional.ofNullable(System.getProperty(EmbeddedStack.APICURIO_DIR_PROPERTY))
                .ifPresent(d -> cmd.add(1, "-D" + EmbeddedStack.APICURIO_DIR_PROPERTY + "=" + d));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Polls both probes until ready; returns every readiness answer seen ("503 REBALANCING", "200 RUNNING"). */
    private List<String> awaitReady(int port, Process run, Path log) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            assertTrue(run.isAlive(), () -> "lethe run died: " + read(log));
            try {
                HttpResponse<String> live = get(port, "/health/live");
                assertEquals(200, live.statusCode(), "alive while starting: " + live.body());
                HttpResponse<String> ready = get(port, "/health/ready");
                seen.add(ready.statusCode() + " " + ready.body().trim());
                if (ready.statusCode() == 200) {
                    return seen;
                }
            } catch (ConnectException notYet) {
                // the HTTP server starts after the base model is found
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never ready: " + seen + "\n" + read(log));
    }

    /**
     * The running stack's endpoints. Retried: findRunning probes the broker with a 5 s timeout,
     * which a machine this loaded (load average ~14 on 2 cores) sometimes misses.
     */
    private static Endpoints awaitEndpoints(Path home) throws InterruptedException {
        for (int i = 0; i < 12; i++) {
            Optional<Endpoints> e = EmbeddedStack.findRunning(home);
            if (e.isPresent()) {
                return e.get();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the running stack's endpoints.properties never checked out in " + home);
    }

    private static void assertMoved(Map<String, Double> before, Map<String, Double> after, double by, String name,
                                    String... labels) {
        double b = PrometheusText.sum(before, name, labels);
        double a = PrometheusText.sum(after, name, labels);
        assertEquals(b + by, a, 1e-9, name + " " + String.join(",", labels) + " went from " + b + " to " + a);
    }

    /**
     * {@code promtool check metrics}: exit 0 when the text parses and lints clean, 3 when it parses
     * with lint remarks (allowed for the binders' names, not for Lethe's own), 1 when it does not parse.
     * Without promtool the strict reader above has already parsed every line.
     */
    private static void checkWithPromtool(String scrape, Path dir) throws Exception {
        Optional<Path> promtool = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(":"))).map(p -> Path.of(p, "promtool"))
                .filter(Files::isExecutable).findFirst();
        if (promtool.isEmpty()) {
            System.err.println("ops IT: promtool not installed (apt-get install prometheus); the scrape was checked "
                    + "by this test's own strict parser only");
            return;
        }
        Path file = dir.resolve("scrape.prom");
        Files.writeString(file, scrape);
        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(p.exitValue() == 0 || p.exitValue() == 3, "promtool could not parse the scrape: " + out);
        List<String> ours = out.lines().filter(l -> l.startsWith("lethe_")).toList();
        assertTrue(ours.isEmpty(), "promtool's remarks on Lethe's own series: " + ours);
        System.err.println("ops IT: promtool check metrics exit " + p.exitValue()
                + (out.isBlank() ? "" : ", remarks on the binders' series:\n" + out));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
