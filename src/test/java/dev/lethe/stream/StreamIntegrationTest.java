package dev.lethe.stream;

import dev.lethe.embedded.EmbeddedBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** The scenarios against Kafka's own KRaft server running in this JVM: always available, so CI always runs them. */
@Tag("integration")
@Timeout(900)
class StreamIntegrationTest extends StreamScenarios {
    private EmbeddedBroker broker;

    @Override
    void startBroker(Path workDir) {
        broker = EmbeddedBroker.start(workDir.resolve("kafka"), 0);
    }

    @Override
    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
