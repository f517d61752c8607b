package dev.lethe.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /health/live}, {@code GET /health/ready} (200 or 503, the reason as the body) and
 * {@code GET /metrics} (Prometheus text) on the JDK's own HTTP server: either a server of its own
 * ({@code bin/lethe run}) or added to one that serves something else ({@code bin/lethe serve}).
 */
public final class HealthServer implements AutoCloseable {
    /** The Prometheus text format, version 0.0.4: what every scraper reads. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final HttpServer server;
    private final ExecutorService workers;

    private HealthServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts a server of its own on {@code bind:port} (port 0: any free one). */
    public static HealthServer start(String bind, int port, Health health) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (java.net.BindException e) {
            throw new IOException("cannot serve health and metrics on " + bind + ":" + port + " (" + e.getMessage()
                    + "): choose another with --http-port, lethe.http.port or LETHE_HTTP_PORT", e);
        }
        install(server, health);
        // Two threads: a probe must be answered while a slow scrape is being written.
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lethe-health-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.start();
        return new HealthServer(server, workers);
    }

    /** Adds the three endpoints to a server that is not started yet, or is (contexts may be added while running). */
    public static void install(HttpServer server, Health health) {
        server.createContext("/health/live", get(() -> health.live()));
        server.createContext("/health/ready", get(() -> health.ready()));
        server.createContext("/metrics", ex -> {
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "GET only\n");
                return;
            }
            send(ex, 200, METRICS_CONTENT_TYPE, LetheMetrics.scrape());
        });
    }

    private static HttpHandler get(Supplier<Health.Status> check) {
        return ex -> {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "GET only\n");
                return;
            }
            Health.Status s = check.get();
            send(ex, s.ok() ? 200 : 503, "text/plain", s.detail() + "\n");
        };
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(b);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
