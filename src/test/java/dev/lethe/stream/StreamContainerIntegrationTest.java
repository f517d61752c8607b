package dev.lethe.stream;

import dev.lethe.testing.ContainerImages;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The same scenarios with the broker and the schema registry in containers, started by
 * Testcontainers (on podman's Docker-compatible API on the project's machines) from the locally
 * built stand-ins for the official Kafka and Apicurio images ({@link ContainerImages}); the
 * processor runs in this JVM. Skipped, saying what is missing, where there is no runtime or no
 * images; {@code docker/ci-stage.sh} runs it where podman works and fails if it skips there.
 */
@Tag("integration")
@Timeout(900)
@ExtendWith(StreamContainerIntegrationTest.RuntimeAndImages.class)
class StreamContainerIntegrationTest extends StreamScenarios {
    /** Two JVMs starting on a shared 2-core machine can take a while. */
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final int REGISTRY_PORT = 8080;
    private KafkaContainer kafka;
    private GenericContainer<?> apicurio;

    /** Skips the class before anything is set up where the runtime or an image is missing. */
    static final class RuntimeAndImages implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return ContainerImages.evaluate(ContainerImages.kafka(), ContainerImages.registry());
        }
    }

    @Override
    void startBroker(Path workDir) {
        DockerImageName kafkaImage = ContainerImages.kafka();
        DockerImageName registryImage = ContainerImages.registry();
        ContainerImages.require(kafkaImage, registryImage);
        kafka = new KafkaContainer(kafkaImage).withStartupTimeout(STARTUP);
        apicurio = new GenericContainer<>(registryImage)
                .withExposedPorts(REGISTRY_PORT)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200))
                .withStartupTimeout(STARTUP);
        Startables.deepStart(kafka, apicurio).join();
    }

    @Override
    String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    String registryUrl() {
        return "http://" + apicurio.getHost() + ":" + apicurio.getMappedPort(REGISTRY_PORT) + "/apis/ccompat/v7";
    }

    @Override
    void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
        if (apicurio != null) {
            apicurio.stop();
        }
    }
}
