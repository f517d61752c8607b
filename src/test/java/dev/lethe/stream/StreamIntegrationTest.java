package dev.lethe.stream;

import dev.lethe.embedded.EmbeddedBroker;
import java.nio.file.Path;

/** The scenarios against Kafka's own KRaft server running in this JVM: always available, so CI always runs them. */
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
