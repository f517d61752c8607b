package dev.lethe.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.data.ImageShape;
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
 * A small HTTP front for a {@link ModelHolder}: {@code POST /predict} (an image ImageIO reads, scaled
 * to the model's input, or its C x H x W raw bytes: 784 grey bytes for a 1x28x28 model),
 * {@code GET /version}, {@code GET /metrics} (Prometheus text format).
 */
public final class PredictionServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ModelHolder holder;
    private final List<String> labels;
    private final ImageShape input;

    /** A server for a model that takes Fashion-MNIST's 1x28x28 images. */
    public PredictionServer(ModelHolder holder, List<String> labels, InetSocketAddress address) throws IOException {
        this(holder, labels, ImageShape.FASHION_MNIST, address);
    }

    public PredictionServer(ModelHolder holder, List<String> labels, ImageShape input, InetSocketAddress address)
            throws IOException {
        this.holder = holder;
        this.labels = labels;
        this.input = input;
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
            pixels = pixels(ex.getRequestBody().readAllBytes(), input);
        } catch (IllegalArgumentException | IOException e) {
            send(ex, 400, JSON.createObjectNode().put("error", e.getMessage()).toString());
            return;
        }
        try {
            ModelHolder.Prediction p = holder.predict(pixels, input);
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

    /**
     * {@code shape.size()} raw bytes (channel-major, row-major) or any image ImageIO reads,
     * scaled to the shape's height and width, grey for one channel, RGB for three.
     */
    static float[] pixels(byte[] body, ImageShape shape) throws IOException {
        float[] out = new float[shape.size()];
        if (body.length == out.length) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (body[i] & 0xff) / 255f;
            }
            return out;
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(body));
        if (img == null) {
            throw new IllegalArgumentException("body is neither " + out.length + " raw bytes (" + shape
                    + ") nor an image ImageIO can read");
        }
        int h = shape.height();
        int w = shape.width();
        BufferedImage scaled = new BufferedImage(w, h, shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        scaled.getGraphics().drawImage(img, 0, 0, w, h, null);
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[c * h * w + y * w + x] = (scaled.getRaster().getSample(x, y, c) & 0xff) / 255f;
                }
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
