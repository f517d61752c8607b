package dev.lethe.stream;

import java.nio.file.Path;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenarios against Apache Kafka's official image in a container, where a Docker
 * engine exists; skipped cleanly where none does (as on the project's build machines).
 */
@Testcontainers(disabledWithoutDocker = true)
class StreamContainerIntegrationTest extends StreamScenarios {
    private KafkaContainer kafka;

    @Override
    void startBroker(Path workDir) {
        kafka = new KafkaContainer("apache/kafka:4.1.0");
        kafka.start();
    }

    @Override
    String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }
}
