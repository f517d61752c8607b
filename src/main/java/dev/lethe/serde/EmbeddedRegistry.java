package dev.lethe.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Apicurio Registry 2.x run as a child JVM on a free loopback port, for the embedded mode and
 * the integration tests. Its Confluent-compatible API is at {@link #ccompatUrl()}.
 *
 * <p>Apicurio 2.6 keeps its data in H2 through JDBC; its "in-memory" default is just the URL
 * {@code jdbc:h2:mem:...}. {@link Storage#FILE} points that URL at an H2 file database in the
 * data directory, so schemas and their ids survive restarts. The child is stopped by
 * {@link #close()} or, should the parent exit without closing, by a shutdown hook; should the
 * parent be killed outright, the child notices and exits by itself ({@link DiesWithParent}).
 * A registry orphaned by an older Lethe on the same database is stopped before the start.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    public enum Storage { MEMORY, FILE }

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120); // 2 busy cores: ~3-15 s
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;

    private EmbeddedRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(() -> stop(process), "stop-embedded-registry");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The {@code apicurio-registry-app-*-runner.jar} in an unpacked Apicurio distribution. */
    public static Path findRunnerJar(Path distribution) {
        try (Stream<Path> files = Files.list(distribution)) {
            return files.filter(f -> f.getFileName().toString().matches("apicurio-registry-app-.*-runner\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no apicurio-registry-app-*-runner.jar in " + distribution));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Apicurio distribution " + distribution, e);
        }
    }

    /**
     * Starts the registry and waits until it is ready. {@code dataDir} receives its log
     * ({@code registry.log}) and, with {@link Storage#FILE}, its database.
     */
    public static EmbeddedRegistry start(Path runnerJar, Path dataDir, Storage storage) throws IOException {
        if (!Files.isRegularFile(runnerJar)) {
            throw new IllegalArgumentException("Apicurio runner jar not found: " + runnerJar);
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("registry.log");
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            // Owned (shutdown hook included) from launch on, so no path leaves the child running.
            EmbeddedRegistry registry = new EmbeddedRegistry(launch(runnerJar, dataDir, storage, port, log), port, log);
            try {
                awaitReady(registry.process, port, log);
                return registry;
            } catch (Exited e) {
                registry.close();
                // Between finding a free port and the child binding it another process may
                // take the port; a fresh port is worth a few tries. Other failures are final.
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                registry.close();
                throw e;
            }
        }
    }

    /** Base URL of the Confluent-compatible REST API, for {@link RestSchemaRegistry}. */
    public String ccompatUrl() {
        return "http://" + HOST + ":" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public ProcessHandle process() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to: it stops the same process, harmlessly
        }
    }

    private static Process launch(Path jar, Path dataDir, Storage storage, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small heap, serial GC and C1 only: a registry serving a handful of schemas
                // needs little, and the machine's cores belong to the unlearning work.
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=" + HOST, "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.initial-size=2", "-Dquarkus.datasource.jdbc.min-size=2"));
        if (storage == Storage.FILE) {
            String database = databaseArgument(dataDir);
            stopOrphans(database);
            command.add(database);
        }
        // Not "-jar": a small main of ours runs first and ends the child when this JVM is gone,
        // even after kill -9, so that no orphan keeps the database locked (issue 14).
        command.addAll(List.of("-cp", launcher(dataDir) + java.io.File.pathSeparator + jar.toAbsolutePath(),
                DiesWithParent.class.getName(), String.valueOf(ProcessHandle.current().pid()), mainClass(jar)));
        Files.writeString(log, "=== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        // Output goes to a file, never a pipe: an unread pipe fills up and blocks the child.
        return new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static String databaseArgument(Path dataDir) {
        return "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry-db/registry");
    }

    /**
     * Stops registries left running on this database by an owner that died before its child
     * learnt to follow it (or was stopped with it still starting): they hold the H2 file lock,
     * and the registry cannot start until they are gone. Only processes started with exactly
     * this database argument are touched; the caller holds the home's lock, so none is ours.
     */
    static int stopOrphans(String databaseArgument) {
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(databaseArgument)).orElse(false))
                .toList();
        for (ProcessHandle orphan : orphans) {
            System.err.println("lethe: stopping an orphaned schema registry (pid " + orphan.pid()
                    + ") that holds " + databaseArgument.substring(databaseArgument.indexOf('=') + 1));
            orphan.destroy(); // SIGTERM first: H2 closes its file cleanly
            try {
                orphan.onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                orphan.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                orphan.destroyForcibly();
            }
        }
        return orphans.size();
    }

    /** A directory holding only {@link DiesWithParent}'s class file: the child needs nothing else of ours. */
    private static Path launcher(Path dataDir) throws IOException {
        String resource = DiesWithParent.class.getName().replace('.', '/') + ".class";
        Path target = dataDir.toAbsolutePath().resolve("launcher").resolve(resource);
        Files.createDirectories(target.getParent());
        try (var in = DiesWithParent.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file " + resource + " not found on the classpath");
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dataDir.toAbsolutePath().resolve("launcher");
    }

    /** The runner jar's own main class, from its manifest (its Class-Path still applies on -cp). */
    private static String mainClass(Path jar) throws IOException {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest m = j.getManifest();
            String main = m == null ? null : m.getMainAttributes().getValue(java.util.jar.Attributes.Name.MAIN_CLASS);
            if (main == null) {
                throw new IOException(jar + " names no Main-Class in its manifest");
            }
            return main;
        }
    }

    /** Polls {@code /health/ready}; throws IllegalStateException if the child dies or never gets ready. */
    private static void awaitReady(Process process, int port, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new Exited("Apicurio exited with " + process.exitValue()
                        + " before becoming ready; end of " + log + ":\n" + tail(log));
            }
            if (isReady(http, ready)) {
                return;
            }
            pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("Apicurio not ready after " + READY_TIMEOUT + "; end of " + log + ":\n" + tail(log));
    }

    private static boolean isReady(HttpClient http, HttpRequest ready) {
        try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio", e);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: Quarkus shuts down cleanly and H2 closes its file
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child died before it was ready. */
    private static final class Exited extends IllegalStateException {
        Exited(String message) {
            super(message);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
