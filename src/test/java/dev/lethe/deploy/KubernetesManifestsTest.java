package dev.lethe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lethe.lineage.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The manifests under k8s/ parse strictly with Kubernetes' and Strimzi's model classes and keep
 * the invariants a running Lethe depends on: probes on the paths and ports the application
 * serves, a grace period above the longest request, no more processors than partitions, the
 * Kafka Streams state on the StatefulSet's own volume, static membership from the pod name.
 * No cluster is needed; KustomizeBuildTest renders the same files with kubectl where it exists.
 */
@Timeout(60)
class KubernetesManifestsTest {
    static final Path K8S = Path.of("k8s");
    /** The HTTP contract of `lethe run` / `lethe serve` (docs/operations.md, "Deploying"). */
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final int PROCESSOR_DEFAULT_PORT = 9400;

    static List<HasMetadata> base;

    @BeforeAll
    static void readBase() throws IOException {
        base = readAll(K8S.resolve("base"));
    }

    static List<HasMetadata> readAll(Path dir) throws IOException {
        List<HasMetadata> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
                all.addAll(StrictManifests.read(f));
            }
        }
        return all;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> in, Class<T> type) {
        return in.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> in, Class<T> type, String name) {
        return all(in, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static Map<String, String> config() {
        return one(base, ConfigMap.class, "lethe-config").getData();
    }

    static Container processor() {
        return one(base, StatefulSet.class, "lethe-processor").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Container serve() {
        return one(base, Deployment.class, "lethe-serve").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** A probe's port as a number, a named port resolved through the container's ports. */
    static int port(Container c, Probe p) {
        var port = p.getHttpGet().getPort();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(cp -> port.getStrVal().equals(cp.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": probe names an undeclared port " + port.getStrVal()))
                .getContainerPort();
    }

    @Test
    void everyManifestParsesStrictly() throws IOException {
        Set<String> kinds = base.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertEquals(Set.of("Namespace", "ConfigMap", "Secret", "KafkaTopic", "PersistentVolumeClaim", "Job", "Service",
                "StatefulSet", "Deployment", "PodDisruptionBudget"), kinds);
        List<HasMetadata> patch = StrictManifests.read(K8S.resolve("overlays/gpu/processor-gpu.yaml"));
        assertEquals(1, patch.size());
    }

    @Test
    void aMisspelledFieldAnUnknownKindAndAWrongTypeAreRejected() {
        String sts = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: x}
                spec:
                  serviceName: x
                  template:
                    spec:
                      terminationGracePeriod: 360
                      containers: [{name: c, image: i}]
                """;
        var e = assertThrows(IllegalArgumentException.class, () -> StrictManifests.parse(sts, "typo.yaml"));
        assertTrue(e.getMessage().contains("terminationGracePeriod"), e.getMessage());
        var kind = assertThrows(IllegalArgumentException.class,
                () -> StrictManifests.parse("apiVersion: v1\nkind: Pood\nmetadata: {name: x}\n", "kind.yaml"));
        assertTrue(kind.getMessage().contains("Pood"), kind.getMessage());
        var topic = assertThrows(IllegalArgumentException.class, () -> StrictManifests.parse("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, replica: 3}
                """, "topic.yaml"));
        assertTrue(topic.getMessage().contains("replica"), topic.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StrictManifests.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec: {replicas: three}
                """, "type.yaml"));
    }

    @Test
    void probesUseTheContractsPathsAndPorts() {
        Container p = processor();
        assertEquals(LIVE, p.getLivenessProbe().getHttpGet().getPath());
        assertEquals(READY, p.getReadinessProbe().getHttpGet().getPath());
        assertEquals(LIVE, p.getStartupProbe().getHttpGet().getPath());
        int httpPort = Integer.parseInt(config().getOrDefault("LETHE_HTTP_PORT", "" + PROCESSOR_DEFAULT_PORT));
        for (Probe probe : List.of(p.getLivenessProbe(), p.getReadinessProbe(), p.getStartupProbe())) {
            assertEquals(httpPort, port(p, probe), "processor probes on LETHE_HTTP_PORT");
        }
        Container s = serve();
        int servePort = Integer.parseInt(s.getArgs().get(s.getArgs().indexOf("--port") + 1));
        assertEquals(LIVE, s.getLivenessProbe().getHttpGet().getPath());
        assertEquals(READY, s.getReadinessProbe().getHttpGet().getPath());
        assertEquals(servePort, port(s, s.getLivenessProbe()), "serve probes on its --port");
        assertEquals(servePort, port(s, s.getReadinessProbe()));
        var svc = one(base, io.fabric8.kubernetes.api.model.Service.class, "lethe-serve");
        assertEquals("http", svc.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(servePort, s.getPorts().stream().filter(cp -> "http".equals(cp.getName())).findFirst()
                .orElseThrow().getContainerPort());
    }

    /** Active once the application serves its health endpoints (the ops branch); skipped before. */
    @Test
    void probePathsExistInTheApplication() throws IOException {
        String sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        // "/health/ready" alone is no sign: the embedded registry's code polls Apicurio's.
        assumeTrue(sources.contains(LIVE), "the application serves no " + LIVE + " yet (the ops branch adds it)");
        for (String path : List.of(LIVE, READY, "/metrics")) {
            assertTrue(sources.contains(path), "the application does not serve " + path);
        }
    }

    @Test
    void graceOutlastsTheLongestRequestAndTheShutdownBound() {
        long grace = one(base, StatefulSet.class, "lethe-processor").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds();
        long maxRequest = Long.parseLong(config().get("LETHE_MAX_REQUEST_SECONDS"));
        long shutdown = Long.parseLong(config().get("LETHE_SHUTDOWN_SECONDS"));
        assertTrue(grace > maxRequest, "grace " + grace + " s <= lethe.max.request.seconds " + maxRequest);
        assertTrue(grace > shutdown, "grace " + grace + " s <= lethe.shutdown.seconds " + shutdown);
        assertTrue(shutdown >= maxRequest, "SIGTERM bound below the longest request: a request in flight would abort");
    }

    @Test
    void topicsAreLethesAndProcessorsDoNotOutnumberPartitions() {
        List<KafkaTopic> topics = all(base, KafkaTopic.class);
        Topics t = Topics.DEFAULT;
        assertEquals(Set.of(t.requests(), t.registrations(), t.versions(), t.audit(), t.deadLetters()),
                topics.stream().map(k -> k.getSpec().getTopicName()).collect(Collectors.toSet()));
        int configured = Integer.parseInt(config().get("LETHE_TOPIC_PARTITIONS"));
        int replicas = one(base, StatefulSet.class, "lethe-processor").getSpec().getReplicas();
        for (KafkaTopic k : topics) {
            assertEquals(configured, k.getSpec().getPartitions(), k.getSpec().getTopicName() + " vs LETHE_TOPIC_PARTITIONS");
            assertTrue(replicas <= k.getSpec().getPartitions(), replicas + " processors > partitions of " + k.getSpec().getTopicName());
            assertNotNull(k.getMetadata().getLabels().get("strimzi.io/cluster"));
        }
    }

    @Test
    void stateDirIsOnTheStatefulSetsOwnVolume() {
        StatefulSet sts = one(base, StatefulSet.class, "lethe-processor");
        Set<String> claims = sts.getSpec().getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        Path stateDir = Path.of(config().get("LETHE_STATE_DIR"));
        VolumeMount mount = processor().getVolumeMounts().stream()
                .filter(m -> stateDir.startsWith(Path.of(m.getMountPath()))).findFirst()
                .orElseThrow(() -> new AssertionError(stateDir + " is on no volume mount"));
        assertTrue(claims.contains(mount.getName()), stateDir + " is on " + mount.getName() + ", not a volumeClaimTemplate " + claims);
    }

    @Test
    void staticMembershipComesFromThePodName() {
        var env = processor().getEnv().stream().filter(e -> e.getName().equals("LETHE_KAFKA_GROUP_INSTANCE_ID"))
                .findFirst().orElseThrow();
        assertEquals("metadata.name", env.getValueFrom().getFieldRef().getFieldPath());
    }

    @Test
    void podsRunAsNonRootWithLimitsAndSecretsStayOutOfTheConfigMap() {
        for (PodSpec pod : List.of(one(base, StatefulSet.class, "lethe-processor").getSpec().getTemplate().getSpec(),
                one(base, Deployment.class, "lethe-serve").getSpec().getTemplate().getSpec())) {
            assertTrue(pod.getSecurityContext().getRunAsNonRoot());
            Map<String, Quantity> limits = pod.getContainers().get(0).getResources().getLimits();
            assertTrue(limits.containsKey("cpu") && limits.containsKey("memory"), "the entrypoint sizes pools from limits");
        }
        Set<String> secretKeys = one(base, Secret.class, "lethe-credentials").getStringData().keySet();
        for (String key : config().keySet()) {
            assertFalse(secretKeys.contains(key), key + " in both ConfigMap and Secret");
            assertFalse(key.matches(".*(PASSWORD|SECRET|JAAS|CREDENTIAL).*"), key + " looks like a secret in the ConfigMap");
        }
    }

    @Test
    void disruptionBudgetsSelectTheirWorkloads() {
        Map<String, String> processorLabels = one(base, StatefulSet.class, "lethe-processor").getSpec().getTemplate()
                .getMetadata().getLabels();
        Map<String, String> serveLabels = one(base, Deployment.class, "lethe-serve").getSpec().getTemplate()
                .getMetadata().getLabels();
        var pdbProcessor = one(base, PodDisruptionBudget.class, "lethe-processor").getSpec();
        var pdbServe = one(base, PodDisruptionBudget.class, "lethe-serve").getSpec();
        assertTrue(processorLabels.entrySet().containsAll(pdbProcessor.getSelector().getMatchLabels().entrySet()));
        assertTrue(serveLabels.entrySet().containsAll(pdbServe.getSelector().getMatchLabels().entrySet()));
        assertEquals(1, pdbProcessor.getMaxUnavailable().getIntVal());
        int serveReplicas = one(base, Deployment.class, "lethe-serve").getSpec().getReplicas();
        assertTrue(pdbServe.getMinAvailable().getIntVal() < serveReplicas, "a budget that blocks every drain");
    }

    @Test
    void gpuOverlayRequestsAGpuOnGpuNodes() throws IOException {
        StatefulSet patch = (StatefulSet) StrictManifests.read(K8S.resolve("overlays/gpu/processor-gpu.yaml")).get(0);
        PodSpec pod = patch.getSpec().getTemplate().getSpec();
        assertEquals(new Quantity("1"), pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertFalse(pod.getNodeSelector().isEmpty());
        List<String> args = pod.getContainers().get(0).getArgs();
        assertEquals("gpu", args.get(args.indexOf("--device") + 1));
        assertEquals(processor().getArgs(), args.subList(0, processor().getArgs().size()),
                "the overlay's args repeat the base's and add --device gpu");
    }
}
