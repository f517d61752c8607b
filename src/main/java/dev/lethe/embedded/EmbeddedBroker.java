package dev.lethe.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 4 broker in this JVM: one KRaft node that is broker and controller at once,
 * listening on loopback only, with its log directory at {@code dataDir}.
 *
 * <p>The directory persists: it is formatted (what {@code kafka-storage format --standalone}
 * does, through Kafka's own {@link StorageTool}) only while it holds no {@code meta.properties},
 * so topics, committed records and the cluster id survive a restart. The controller listener
 * takes a free port on every start; the node's voter endpoint in the metadata log follows it.
 *
 * <p>Sized for one machine: replication factors 1, one partition for the offsets and
 * transaction logs (fifty would cost seconds to create on first use), unlimited retention
 * (the history is the product), and transactions allowed to stay open for an hour, because a
 * stream transaction spans an unlearning computation.
 *
 * <p>Kafka's server code halts the JVM on a fatal metadata fault, as it does in its own process;
 * in embedded mode that process is Lethe's.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The broker port {@link #start(Path)} prefers, so that clients can guess it. */
    public static final int DEFAULT_PORT = 19092;

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String META_PROPERTIES = "meta.properties";
    /** Not Kafka's own {@code .lock}: Kafka takes that only after its controller has opened the metadata log. */
    private static final String LOCK_FILE = "lethe-broker.lock";

    private final KafkaRaftServer server;
    private final DirectoryLock lock;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(KafkaRaftServer server, DirectoryLock lock, Path dataDir, int port, String clusterId) {
        this.server = server;
        this.lock = lock;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
        // A clean shutdown spares the next start a log recovery, should the JVM exit unclosed.
        this.shutdownHook = new Thread(this::stopServer, "stop-embedded-kafka");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts on {@link #DEFAULT_PORT}, or on a free port when that one is taken. */
    public static EmbeddedBroker start(Path dataDir) {
        try {
            return start(dataDir, DEFAULT_PORT);
        } catch (PortTakenException taken) {
            // In use, by another broker or anything else (seen once on a fresh machine's first demo).
            return start(dataDir, 0);
        }
    }

    /** The port a caller named is in use. */
    static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    /**
     * Starts on exactly {@code port} (0: any free port) and returns once the broker answers
     * clients; fails if the port is taken, since a caller that names a port relies on it.
     */
    public static EmbeddedBroker start(Path dataDir, int port) {
        int brokerPort = port == 0 ? Ports.free(HOST) : port;
        if (!Ports.isFree(HOST, brokerPort)) {
            throw new PortTakenException("cannot start the embedded Kafka broker: port " + brokerPort
                    + " on " + HOST + " is in use (another broker, or another Lethe, is running)");
        }
        Path dir = createDirectory(dataDir);
        DirectoryLock lock = lock(dir);
        try {
            return start(dir, brokerPort, lock);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedBroker start(Path dir, int brokerPort, DirectoryLock lock) {
        ServerLogging.quiet();
        Properties properties = serverProperties(dir, brokerPort, Ports.free(HOST));
        formatIfNew(dir, properties);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        try {
            server.startup();
            return new EmbeddedBroker(server, lock, dir, brokerPort, awaitReady(HOST + ":" + brokerPort));
        } catch (RuntimeException | Error e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The id written to {@code meta.properties} when the directory was formatted. */
    public String clusterId() {
        return clusterId;
    }

    /** A controlled shutdown: the logs are flushed and closed, so the next start needs no recovery. */
    @Override
    public void close() {
        stopServer();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to: it stops the same server, and only once
        }
    }

    private void stopServer() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                lock.close();
            }
        }
    }

    private static Path createDirectory(Path dataDir) {
        try {
            return Files.createDirectories(dataDir).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + dataDir, e);
        }
    }

    /** Two brokers on one directory would both append to its metadata log before Kafka's own lock stops one. */
    private static DirectoryLock lock(Path dir) {
        try {
            return DirectoryLock.tryAcquire(dir, LOCK_FILE).orElseThrow(() -> new IllegalStateException(
                    "cannot start the embedded Kafka broker: another one is running on " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(LOCK_FILE), e);
        }
    }

    static Properties serverProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.of(
                "process.roles", "broker,controller",
                "node.id", Integer.toString(NODE_ID),
                "listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort,
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "PLAINTEXT",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.bootstrap.servers", HOST + ":" + controllerPort,
                "log.dirs", dir.toString()));
        p.putAll(Map.of(
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.max.timeout.ms", Long.toString(TimeUnit.HOURS.toMillis(1)),
                "log.retention.ms", "-1"));
        return p;
    }

    /** {@code kafka-storage format --standalone}, once: a formatted directory is never touched. */
    private static void formatIfNew(Path dir, Properties properties) {
        if (Files.exists(dir.resolve(META_PROPERTIES))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path configFile = null;
        try {
            // The tool reads its configuration from a file; this one only lives while it runs.
            configFile = Files.createTempFile("lethe-kafka-format-", ".properties");
            try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                properties.store(w, "Lethe's embedded broker, for kafka-storage format");
            }
            int rc = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", configFile.toString(), "--standalone"}, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("formatting " + dir + " failed (" + rc + "):\n" + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the Kafka data directory " + dir, e);
        } finally {
            deleteQuietly(configFile);
        }
    }

    /**
     * Waits until a client gets the cluster's description, and returns the cluster id. The
     * server's startup already waits for the broker to be unfenced; this proves it from outside.
     */
    private static String awaitReady(String bootstrap) {
        int timeoutMs = (int) READY_TIMEOUT.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the embedded Kafka broker at " + bootstrap + " did not answer within " + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit(); // a stray temp file is not worth failing a start for
        }
    }
}
