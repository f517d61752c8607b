package dev.lethe.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.serde.AvroJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * A small HTTP front for a {@link ModelHolder}: {@code POST /predict} (a 28x28 image: PNG, or 784
 * raw grey bytes), {@code GET /version}, {@code GET /metrics} (Prometheus text format).
 */
public final class PredictionServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ModelHolder holder;
    private final List<String> labels;

    public PredictionServer(ModelHolder holder, List<String> labels, InetSocketAddress address) throws IOException {
        this.holder = holder;
        this.labels = labels;
        this.server = HttpServer.create(address, 0);
        server.createContext("/predict", this::predict);
        server.createContext("/version", this::version);
        server.createContext("/metrics", this::metrics);
        server.setExecutor(workers);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void predict(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "{\"error\": \"POST an image\"}");
            return;
        }
        float[] pixels;
        try {
            pixels = pixels(ex.getRequestBody().readAllBytes());
        } catch (IllegalArgumentException | IOException e) {
            send(ex, 400, JSON.createObjectNode().put("error", e.getMessage()).toString());
            return;
        }
        try {
            ModelHolder.Prediction p = holder.predict(pixels);
            ObjectNode o = JSON.createObjectNode().put("class", p.cls()).put("label", labels.get(p.cls()))
                    .put("version", p.version()).put("sha256", p.sha256());
            var probs = o.putArray("probabilities");
            for (float f : p.probabilities()) {
                probs.add(f);
            }
            send(ex, 200, o.toString());
        } catch (IllegalStateException e) {
            send(ex, 503, JSON.createObjectNode().put("error", e.getMessage()).toString());
        }
    }

    /** 784 raw bytes (grey, row-major) or any image ImageIO reads, scaled to 28x28 grey. */
    static float[] pixels(byte[] body) throws IOException {
        float[] out = new float[28 * 28];
        if (body.length == out.length) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (body[i] & 0xff) / 255f;
            }
            return out;
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(body));
        if (img == null) {
            throw new IllegalArgumentException("body is neither 784 grey bytes nor an image ImageIO can read");
        }
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(img, 0, 0, 28, 28, null);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                out[y * 28 + x] = (grey.getRaster().getSample(x, y, 0) & 0xff) / 255f;
            }
        }
        return out;
    }

    private void version(HttpExchange ex) throws IOException {
        var v = holder.version();
        send(ex, v.isPresent() ? 200 : 503, v.map(AvroJson::toJson).orElse("{\"error\": \"no version loaded yet\"}"));
    }

    private void metrics(HttpExchange ex) throws IOException {
        ModelHolder.Metrics m = holder.metrics();
        String text = "# TYPE lethe_serve_versions_seen_total counter\nlethe_serve_versions_seen_total " + m.versionsSeen.get()
                + "\n# TYPE lethe_serve_swaps_total counter\nlethe_serve_swaps_total " + m.swaps.get()
                + "\n# TYPE lethe_serve_refusals_total counter\nlethe_serve_refusals_total " + m.refusals.get()
                + "\n# TYPE lethe_serve_patches_applied_total counter\nlethe_serve_patches_applied_total " + m.patchesApplied.get()
                + "\n# TYPE lethe_serve_last_swap_seconds gauge\nlethe_serve_last_swap_seconds " + m.lastSwapMillis.get() / 1000.0
                + "\n# TYPE lethe_serve_predictions_total counter\nlethe_serve_predictions_total " + m.predictions.get()
                + "\n# TYPE lethe_serve_version gauge\nlethe_serve_version "
                + holder.version().map(v -> v.getVersion()).orElse(-1L) + "\n";
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
