package dev.lethe.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.ImageShape;
import dev.lethe.store.DirectoryArtifactStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's probes and scrape next to /predict: not ready before a version, not live once it stops following. */
class PredictionServerOperationsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthFollowsTheHolderAndTheFollowerAndMetricsAreScraped(@TempDir Path dir) throws Exception {
        AtomicBoolean following = new AtomicBoolean(true);
        try (ModelHolder holder = new ModelHolder("mlp", new DirectoryArtifactStore(dir));
             PredictionServer server = new PredictionServer(holder, List.of("a", "b"), ImageShape.FASHION_MNIST,
                     new InetSocketAddress("127.0.0.1", 0), following::get)) {
            assertEquals("503 no version loaded yet", get(server, "/health/ready"));
            assertEquals("200 following versions", get(server, "/health/live"));
            following.set(false);
            assertEquals(503, Integer.parseInt(get(server, "/health/live").substring(0, 3)));
            String metrics = get(server, "/metrics");
            assertTrue(metrics.startsWith("200 "), metrics);
            assertTrue(metrics.contains("\nlethe_serve_version -1.0\n"), metrics);
            assertTrue(metrics.contains("\nlethe_serve_predictions_total 0.0\n"), metrics);
            assertEquals(405, Integer.parseInt(get(server, "/predict").substring(0, 3)), "/predict is still there");
        }
    }

    private String get(PredictionServer server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().trim();
    }
}
