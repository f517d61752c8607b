package dev.lethe.app;

import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.engine.Unlearner;
import dev.lethe.engine.UnlearningService;
import dev.lethe.ops.NativeThreads;
import dev.lethe.serde.SchemaRegistry;
import dev.lethe.store.ArtifactStore;
import dev.lethe.store.ArtifactStores;
import dev.lethe.store.S3Location;
import dev.lethe.stream.StreamConfig;
import dev.lethe.stream.StreamRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A running Lethe: the stream processor wired to its broker, registry, artifact store and
 * engine. With no bootstrap address configured it first starts the embedded stack (a KRaft
 * broker in this JVM, Apicurio as a child process, a directory store), all under one home;
 * an {@code s3://} artifact location is used in either case.
 */
public final class Deployment implements AutoCloseable {
    private final StreamConfig config;
    private final EmbeddedStack stack;
    private final ArtifactStore store;
    private final SchemaRegistry registry;
    private final UnlearningService engine;
    private final StreamRuntime runtime;

    private Deployment(StreamConfig config, EmbeddedStack stack, ArtifactStore store, SchemaRegistry registry,
                       UnlearningService engine, StreamRuntime runtime) {
        this.config = config;
        this.stack = stack;
        this.store = store;
        this.registry = registry;
        this.engine = engine;
        this.runtime = runtime;
    }

    public static Deployment start(Path home, StreamConfig config) throws Exception {
        return start(home, config, streams -> { });
    }

    /** As above; {@code onCreated} sees the Kafka Streams instance before it starts (health, metrics). */
    public static Deployment start(Path home, StreamConfig config, Consumer<KafkaStreams> onCreated) throws Exception {
        EmbeddedStack stack = null;
        StreamConfig c = config;
        ArtifactStore store;
        if (config.embedded()) {
            System.err.println("lethe: starting the embedded Kafka broker and schema registry in " + home);
            stack = EmbeddedStack.start(home, EmbeddedStack.locateApicurio());
            c = c.with(StreamConfig.BOOTSTRAP, stack.bootstrapServers()).with(StreamConfig.REGISTRY, stack.registryUrl());
            store = S3Location.isS3(c.get(StreamConfig.ARTIFACTS)) ? openStore(c, stack) : stack.artifactStore();
        } else {
            store = c.openArtifactStore();
        }
        System.err.println("lethe: artifacts in " + ArtifactStores.describe(store));
        UnlearningService engine = new UnlearningService(store, Sampling.DEFAULT, ForgetJob.DEFAULT_MAX_FORGET_RANK,
                Long.parseLong(c.get(StreamConfig.CACHE_MAX_BYTES)));
        engine.beforeEachBackgroundJob(NativeThreads::resizeForThisThread);
        try {
            SchemaRegistry registry = c.registryClient(c.get(StreamConfig.REGISTRY));
            StreamRuntime runtime = StreamRuntime.start(c, registry,
                    NativeThreads.resizingEachCall(Unlearner.class, engine), Duration.ofMinutes(2),
                    StreamRuntime.statisticsExecutor(), onCreated);
            return new Deployment(c, stack, store, registry, engine, runtime);
        } catch (Exception | Error e) {
            engine.close();
            store.close();
            if (stack != null) {
                stack.close();
            }
            throw e;
        }
    }

    private static ArtifactStore openStore(StreamConfig c, EmbeddedStack stack) {
        try {
            return c.openArtifactStore();
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    public StreamConfig config() {
        return config;
    }

    public ArtifactStore store() {
        return store;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /** The engine the processor computes with (benchmarks read its cache and background state). */
    public UnlearningService engine() {
        return engine;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Stops the processor within about {@code timeout} (see {@link StreamRuntime#close(Duration)}), then the rest. */
    public boolean close(Duration timeout) {
        boolean clean = runtime.close(timeout);
        engine.close();
        store.close();
        if (stack != null) {
            stack.close();
        }
        return clean;
    }
}
