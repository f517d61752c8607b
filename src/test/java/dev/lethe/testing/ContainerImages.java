package dev.lethe.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The images Testcontainers tests run and the runtime they run on. By default the tests name the
 * locally built stand-ins (docker/local-images.sh; no image registry is reachable on the
 * project's machines) as compatible substitutes for the official images; a system property or
 * environment variable names another image, e.g. the official one where it can be pulled.
 *
 * <p>Where no Docker-compatible socket answers or a local image is missing, the test is skipped
 * with what is missing and the command that provides it, also under {@code LETHE_CI=1} (CI
 * machines may lack a usable podman); {@code docker/ci-stage.sh} provides both and sets
 * {@value #REQUIRED_BY}=1, which turns the skip into a failure.
 */
public final class ContainerImages {
    /** Set to 1 by the CI stage that starts podman's API service and builds the images. */
    public static final String REQUIRED_BY = "LETHE_REQUIRE_CONTAINERS";
    private static final String SETUP = "podman, start its Docker API (`podman system service --time=0"
            + " unix:///run/lethe-podman.sock &`, runc and ulimits as in docs/operations.md, 'Testcontainers"
            + " on podman') and set DOCKER_HOST=unix:///run/lethe-podman.sock TESTCONTAINERS_RYUK_DISABLED=true"
            + " TESTCONTAINERS_CHECKS_DISABLE=true; docker/ci-stage.sh does all of it";

    private ContainerImages() { }

    /** Kafka: {@code -Dlethe.it.kafka.image} or {@code $LETHE_IT_KAFKA_IMAGE}, else the local stand-in. */
    public static DockerImageName kafka() {
        return named("lethe.it.kafka.image", "localhost/lethe-kafka:4.3.1", "apache/kafka");
    }

    /** Apicurio Registry (in-memory): {@code -Dlethe.it.registry.image} or {@code $LETHE_IT_REGISTRY_IMAGE}. */
    public static DockerImageName registry() {
        return named("lethe.it.registry.image", "localhost/lethe-apicurio:2.6.13", "apicurio/apicurio-registry-mem");
    }

    private static DockerImageName named(String property, String localDefault, String official) {
        String env = property.toUpperCase().replace('.', '_');
        String name = System.getProperty(property, System.getenv().getOrDefault(env, localDefault));
        return DockerImageName.parse(name).asCompatibleSubstituteFor(official);
    }

    /**
     * For a class-level {@code ExecutionCondition}: disabled, with {@link #missing}'s reason, where
     * the runtime or an image is missing, so that nothing is set up for nothing; enabled where
     * all are there, and under {@value #REQUIRED_BY}=1, where {@link #require} then fails.
     */
    public static ConditionEvaluationResult evaluate(DockerImageName... images) {
        if ("1".equals(System.getenv(REQUIRED_BY))) {
            return ConditionEvaluationResult.enabled(REQUIRED_BY + "=1");
        }
        return missing(images).map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("container runtime and images present"));
    }

    /**
     * Returns normally only when Testcontainers reaches a container runtime and every image
     * named with the {@code localhost} registry (which cannot be pulled) exists there; otherwise
     * skips (or, under {@value #REQUIRED_BY}=1, fails) the calling test.
     */
    public static void require(DockerImageName... images) {
        missing(images).ifPresent(why -> {
            throw Prerequisites.missingUnlessRequired(why, REQUIRED_BY);
        });
    }

    /** What is missing, with the command that provides it; empty when nothing is. */
    public static Optional<String> missing(DockerImageName... images) {
        DockerClient client;
        try {
            client = DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            return Optional.of("no Docker-compatible socket for Testcontainers (" + rootCause(e) + "); with " + SETUP);
        }
        List<String> absent = new ArrayList<>();
        for (DockerImageName image : images) {
            if (!"localhost".equals(image.getRegistry())) {
                continue; // Testcontainers pulls it
            }
            try {
                client.inspectImageCmd(image.asCanonicalNameString()).exec();
            } catch (NotFoundException e) {
                absent.add(image.asCanonicalNameString());
            }
        }
        if (absent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("images " + absent + " are not in the container runtime; build them with"
                + " `docker/local-images.sh standins` (podman as root; docker/ci-stage.sh builds them and runs this test)");
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }
}
