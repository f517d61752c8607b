package dev.lethe.stream;

import dev.lethe.embedded.EmbeddedBroker;
import dev.lethe.serde.ApicurioServer;
import dev.lethe.serde.EmbeddedRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios against Kafka's own KRaft server running in this JVM and the run's shared
 * Apicurio process: always available, so CI always runs them.
 */
@Tag("integration")
@Timeout(900)
@ExtendWith(ApicurioServer.class)
class StreamIntegrationTest extends StreamScenarios {
    private final EmbeddedRegistry apicurio;
    private EmbeddedBroker broker;

    StreamIntegrationTest(EmbeddedRegistry apicurio) {
        this.apicurio = apicurio;
    }

    @Override
    void startBroker(Path workDir) {
        broker = EmbeddedBroker.start(workDir.resolve("kafka"), 0);
    }

    @Override
    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return apicurio.ccompatUrl();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
