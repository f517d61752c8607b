package dev.lethe.embedded;

import dev.lethe.serde.EmbeddedRegistry;
import dev.lethe.store.DirectoryArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Everything the embedded mode runs, kept under one home directory so that every Lethe command
 * sees the same history: {@code kafka/} (the broker's log directory), {@code registry/} (the
 * schema registry's database) and {@code artifacts/} (model weights and statistics).
 *
 * <p>While a stack runs, {@code endpoints.properties} in its home tells other Lethe processes
 * where to reach it ({@link #findRunning(Path)}), and a lock on {@code embedded.lock} keeps a
 * second stack off the same home.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** Environment variable naming the home; {@code ~/.lethe} without it. */
    public static final String HOME_ENV = "LETHE_HOME";
    /** System property naming the unpacked Apicurio distribution, for runs outside the build tree. */
    public static final String APICURIO_DIR_PROPERTY = "lethe.apicurio.dir";

    static final String LOCK_FILE = "embedded.lock";
    private static final String KAFKA = "kafka";
    private static final String REGISTRY = "registry";
    private static final String ARTIFACTS = "artifacts";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final Path home;
    private final DirectoryLock lock;
    private final EmbeddedBroker broker;
    private final EmbeddedRegistry registry;
    private final DirectoryArtifactStore artifacts;
    private final Thread shutdownHook;

    private EmbeddedStack(Path home, DirectoryLock lock, EmbeddedBroker broker, EmbeddedRegistry registry) {
        this.home = home;
        this.lock = lock;
        this.broker = broker;
        this.registry = registry;
        this.artifacts = new DirectoryArtifactStore(home.resolve(ARTIFACTS));
        // Broker and registry stop themselves on exit; this hook only withdraws the address.
        this.shutdownHook = new Thread(() -> Endpoints.deleteFrom(home), "withdraw-lethe-endpoints");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** {@code $LETHE_HOME}, or {@code ~/.lethe}. */
    public static Path defaultHome() {
        String env = System.getenv(HOME_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".lethe");
    }

    /**
     * Starts broker and registry (in parallel: the registry is a child JVM that takes seconds)
     * and publishes their endpoints. Throws {@link AlreadyRunningException} when another stack
     * runs on {@code home}.
     */
    public static EmbeddedStack start(Path home, Path apicurioRunnerJar) throws IOException {
        Path dir = Files.createDirectories(home).toRealPath();
        DirectoryLock lock = DirectoryLock.tryAcquire(dir, LOCK_FILE)
                .orElseThrow(() -> new AlreadyRunningException(dir, Endpoints.readFrom(dir)));
        try {
            if (!Files.isRegularFile(apicurioRunnerJar)) {
                // checked here, not in the registry's thread, so that no broker starts in vain
                throw new IllegalArgumentException("Apicurio runner jar not found: " + apicurioRunnerJar + " (see locateApicurio())");
            }
            EmbeddedStack stack = startServers(dir, apicurioRunnerJar, lock);
            stack.publishEndpoints();
            return stack;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The endpoints of the stack running on {@code home}, if one runs and its broker answers.
     * A file left behind by a killed process is ignored.
     */
    public static Optional<Endpoints> findRunning(Path home) {
        return Endpoints.readFrom(home).filter(e -> ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false))
                .filter(e -> brokerAnswers(e.bootstrapServers()));
    }

    /**
     * The Apicurio runner jar: in {@code -Dlethe.apicurio.dir}, else in {@code target/apicurio}
     * under the working directory or beside the directory Lethe's classes were loaded from
     * ({@code target/lethe.jar} → {@code target/apicurio}), where the build unpacks it.
     */
    public static Path locateApicurio() {
        String override = System.getProperty(APICURIO_DIR_PROPERTY);
        if (override != null) {
            return runnerJarIn(Path.of(override)).orElseThrow(() -> new IllegalStateException(
                    "no *-runner.jar in " + override + " (system property " + APICURIO_DIR_PROPERTY + ")"));
        }
        List<Path> places = new ArrayList<>(List.of(Path.of("target", "apicurio").toAbsolutePath()));
        codeLocation().ifPresent(location -> places.add(location.getParent().resolve("apicurio")));
        return places.stream().flatMap(p -> runnerJarIn(p).stream()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Apicurio Registry, the embedded schema registry, is not unpacked;"
                        + " looked for *-runner.jar in " + places + ". Build Lethe with `mvn -DskipTests package`"
                        + " (bin/lethe does), which unpacks it into target/apicurio, or set -D" + APICURIO_DIR_PROPERTY + "=DIR."));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The registry's Confluent-compatible API. */
    public String registryUrl() {
        return registry.ccompatUrl();
    }

    public DirectoryArtifactStore artifactStore() {
        return artifacts;
    }

    public Path home() {
        return home;
    }

    /** Withdraws the endpoints first, so that no new client finds a stack that is going away. */
    @Override
    public void close() {
        removeShutdownHook();
        runAll(() -> Endpoints.deleteFrom(home), registry::close, broker::close, lock::close);
    }

    private static EmbeddedStack startServers(Path home, Path apicurioRunnerJar, DirectoryLock lock) {
        CompletableFuture<EmbeddedRegistry> registry = new CompletableFuture<>();
        new Thread(() -> startRegistry(apicurioRunnerJar, home.resolve(REGISTRY), registry), "start-embedded-registry").start();
        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.start(home.resolve(KAFKA));
        } catch (RuntimeException | Error e) {
            closeWhenStarted(registry); // waits for the registry's start: it cannot be cut short
            throw e;
        }
        try {
            return new EmbeddedStack(home, lock, broker, registry.join());
        } catch (CompletionException e) {
            broker.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void startRegistry(Path runnerJar, Path dataDir, CompletableFuture<EmbeddedRegistry> result) {
        try {
            result.complete(EmbeddedRegistry.start(runnerJar, dataDir, EmbeddedRegistry.Storage.FILE));
        } catch (IOException e) {
            result.completeExceptionally(new UncheckedIOException("cannot start the schema registry", e));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    private static void closeWhenStarted(CompletableFuture<EmbeddedRegistry> registry) {
        try {
            registry.join().close();
        } catch (CompletionException failedToo) {
            // nothing to close; the broker's failure is the one to report
        }
    }

    private void publishEndpoints() {
        try {
            new Endpoints(bootstrapServers(), registryUrl(), ProcessHandle.current().pid()).writeTo(home);
        } catch (RuntimeException e) {
            removeShutdownHook();
            runAll(registry::close, broker::close); // the caller releases the lock
            throw e;
        }
    }

    /** Runs every step even when one fails, then throws the first failure. */
    private static void runAll(Runnable... steps) {
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway and deletes a file that is already gone
        }
    }

    /** A TCP connect first: a dead port fails at once, without an Admin client's retries and warnings. */
    private static boolean brokerAnswers(String bootstrap) {
        int timeoutMs = (int) PROBE_TIMEOUT.toMillis();
        int colon = bootstrap.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))), timeoutMs);
        } catch (IOException | RuntimeException notListening) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> runnerJarIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*-runner.jar")) {
            for (Path jar : jars) {
                return Optional.of(jar);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The jar (or classes directory) this class was loaded from, when the JVM says. */
    private static Optional<Path> codeLocation() {
        CodeSource source = EmbeddedStack.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            return Optional.empty();
        }
    }

    /** Another stack holds the home's lock. */
    public static final class AlreadyRunningException extends IllegalStateException {
        AlreadyRunningException(Path home, Optional<Endpoints> running) {
            super("Lethe's embedded Kafka and registry are already running on " + home
                    + running.map(e -> " (process " + e.pid() + ", Kafka at " + e.bootstrapServers() + ")").orElse("")
                    + ". Stop that process first, or give this one its own state directory with " + HOME_ENV + "=DIR.");
        }
    }
}
