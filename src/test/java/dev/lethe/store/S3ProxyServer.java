package dev.lethe.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * s3proxy (a real S3-API server from Maven Central) as a child JVM on a free loopback port,
 * storing objects under a directory. The jar is the one maven-dependency-plugin copies to
 * {@code <build dir>/s3proxy/s3proxy.jar} ({@code lethe.s3proxy.jar} overrides).
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "lethe-test";
    static final String SECRET_KEY = "lethe-test-secret";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Thread shutdownHook;
    private final URI endpoint;

    private S3ProxyServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop-s3proxy");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static S3ProxyServer start(Path dir) throws IOException {
        int port = freeLoopbackPort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = dir.resolve("s3proxy.properties");
        Files.createDirectories(dir.resolve("blobs"));
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dir.resolve("blobs")), StandardCharsets.UTF_8);
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar().toString(), "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyServer server = new S3ProxyServer(process, endpoint);
        try {
            server.awaitListening(port, log);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook kills the same process, harmlessly
            }
        }
    }

    /** Polls the port: s3proxy opens it only once it is ready to serve. */
    private void awaitListening(int port, Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("s3proxy not listening after " + READY_TIMEOUT + "; see " + log);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for s3proxy", e);
        }
    }

    private static Path jar() {
        String override = System.getProperty("lethe.s3proxy.jar");
        if (override != null) {
            return Path.of(override);
        }
        try {
            Path testClasses = Path.of(S3ProxyServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().resolve("s3proxy/s3proxy.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
