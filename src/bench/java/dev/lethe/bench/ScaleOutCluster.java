package dev.lethe.bench;

import dev.lethe.embedded.EmbeddedBroker;
import dev.lethe.embedded.EmbeddedStack;
import dev.lethe.serde.EmbeddedRegistry;
import dev.lethe.serde.RestSchemaRegistry;
import dev.lethe.store.DirectoryArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cluster for several processor instances: one KRaft broker in this JVM (never killed here),
 * one Apicurio registry, one shared artifact directory and a small MLP trained on Fashion-MNIST.
 * Each {@link ScaleOutGroup} on it is one application id with topics of its own, so that several
 * measurements share the broker without seeing each other's data.
 */
final class ScaleOutCluster implements AutoCloseable {
    final Path work;
    final Path data;
    final Path baseModel;
    final DirectoryArtifactStore store;
    private final EmbeddedBroker broker;
    private final EmbeddedRegistry registryServer;
    private final RestSchemaRegistry registry;

    private ScaleOutCluster(Path work, Path data, Path baseModel, EmbeddedBroker broker, EmbeddedRegistry registryServer) {
        this.work = work;
        this.data = data;
        this.baseModel = baseModel;
        this.broker = broker;
        this.registryServer = registryServer;
        this.registry = new RestSchemaRegistry(registryServer.ccompatUrl());
        this.store = new DirectoryArtifactStore(work.resolve("artifacts"));
    }

    static ScaleOutCluster start(Path work, Path data) throws Exception {
        // Killed members make every client warn about refused connections; the verdict says what matters.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        Files.createDirectories(work);
        Path model = ChaosBench.trainSmallMlp(work.resolve("base-mlp"), data);
        EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("kafka"), freePort());
        try {
            EmbeddedRegistry reg = EmbeddedRegistry.start(EmbeddedStack.locateApicurio(), work.resolve("registry"),
                    EmbeddedRegistry.Storage.MEMORY);
            return new ScaleOutCluster(work, data, model, broker, reg);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    String registryUrl() {
        return registryServer.ccompatUrl();
    }

    RestSchemaRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        registryServer.close();
        broker.close();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
