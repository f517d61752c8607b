package dev.lethe.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.data.ImageShape;
import dev.lethe.ops.Health;
import dev.lethe.ops.HealthServer;
import dev.lethe.ops.LetheMetrics;
import dev.lethe.serde.AvroJson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * A small HTTP front for a {@link ModelHolder}: {@code POST /predict} (an image ImageIO reads, scaled
 * to the model's input, or its C x H x W raw bytes: 784 grey bytes for a 1x28x28 model),
 * {@code GET /version}; given a liveness source also {@code /health/live}, {@code /health/ready} and
 * {@code /metrics} (Prometheus text, with this server's {@code lethe_serve_*} series).
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
        this(holder, labels, input, address, null);
    }

    /**
     * As above, with {@code /health/live} (while {@code following} holds), {@code /health/ready}
     * (once a version is loaded) and {@code /metrics}, in place before the first request can arrive.
     */
    public PredictionServer(ModelHolder holder, List<String> labels, ImageShape input, InetSocketAddress address,
                            java.util.function.BooleanSupplier following) throws IOException {
        this.holder = holder;
        this.labels = labels;
        this.input = input;
        this.server = HttpServer.create(address, 0);
        server.createContext("/predict", this::predict);
        server.createContext("/version", this::version);
        if (following != null) {
            HealthServer.install(server, health(following));
        }
        server.setExecutor(workers);
        registerMetrics(holder);
        server.start();
    }

    /** A health that is live while {@code following} holds, ready once a version is loaded. */
    private Health health(java.util.function.BooleanSupplier following) {
        return new Health() {
            @Override
            public Status live() {
                return new Status(following.getAsBoolean(), following.getAsBoolean() ? "following versions"
                        : "no longer following versions");
            }

            @Override
            public Status ready() {
                return holder.version().map(v -> new Status(true, "serving version " + v.getVersion()))
                        .orElse(new Status(false, "no version loaded yet"));
            }
        };
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

    /** The serving fleet's own series, read from the holder's counters at scrape time. */
    private void registerMetrics(ModelHolder h) {
        ModelHolder.Metrics m = h.metrics();
        var r = LetheMetrics.registry();
        FunctionCounter.builder("lethe.serve.versions.seen", m.versionsSeen, AtomicLong::get).register(r);
        FunctionCounter.builder("lethe.serve.swaps", m.swaps, AtomicLong::get).register(r);
        FunctionCounter.builder("lethe.serve.refusals", m.refusals, AtomicLong::get).register(r);
        FunctionCounter.builder("lethe.serve.patches.applied", m.patchesApplied, AtomicLong::get).register(r);
        FunctionCounter.builder("lethe.serve.predictions", m.predictions, AtomicLong::get).register(r);
        Gauge.builder("lethe.serve.last.swap.seconds", m.lastSwapMillis, l -> l.get() / 1000.0)
                .description("when the served version was last swapped in, seconds since the epoch").register(r);
        Gauge.builder("lethe.serve.version", h, x -> x.version().map(v -> (double) v.getVersion()).orElse(-1.0))
                .description("the version served; -1 before the first").register(r);
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
