package dev.lethe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `kubectl kustomize` renders k8s/ and k8s/overlays/gpu, and what it renders parses strictly:
 * the kustomizations themselves are valid and the overlay changes only what it says. Skipped
 * where kubectl is not installed (no cluster is needed: kustomize runs offline).
 */
@Timeout(120)
class KustomizeBuildTest {

    static List<HasMetadata> kustomize(String dir) throws IOException, InterruptedException {
        assumeTrue(kubectl() != null, "kubectl is not installed: kustomize builds not checked");
        Process p = new ProcessBuilder(kubectl().toString(), "kustomize", dir).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " did not finish");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + err);
        return StrictManifests.parse(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + dir);
    }

    static Path kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path k = Path.of(dir, "kubectl");
            if (Files.isExecutable(k)) {
                return k;
            }
        }
        return null;
    }

    @Test
    void baseRendersEveryManifestIntoTheNamespace() throws Exception {
        List<HasMetadata> rendered = kustomize("k8s");
        assertEquals(KubernetesManifestsTest.readAll(Path.of("k8s/base")).size(), rendered.size());
        for (HasMetadata r : rendered) {
            if (!r.getKind().equals("Namespace")) {
                assertEquals("lethe", r.getMetadata().getNamespace(), r.getKind() + " " + r.getMetadata().getName());
            }
            assertEquals("lethe", r.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
        }
    }

    @Test
    void gpuOverlayAddsTheGpuToTheProcessorOnly() throws Exception {
        List<HasMetadata> base = kustomize("k8s");
        List<HasMetadata> gpu = kustomize("k8s/overlays/gpu");
        assertEquals(base.size(), gpu.size());
        StatefulSet sts = KubernetesManifestsTest.one(gpu, StatefulSet.class, "lethe-processor");
        var container = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("1"), container.getResources().getLimits().get("nvidia.com/gpu"));
        // The strategic merge keeps the base's cpu/memory limits, probes and volumes.
        assertTrue(container.getResources().getLimits().containsKey("memory"));
        assertEquals(KubernetesManifestsTest.LIVE, container.getLivenessProbe().getHttpGet().getPath());
        assertEquals(3, container.getVolumeMounts().size()); // state, models, data (artifacts are in S3)
        assertEquals("true", sts.getSpec().getTemplate().getSpec().getNodeSelector().get("nvidia.com/gpu.present"));
    }
}
