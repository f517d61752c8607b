package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.events.UnlearningParameters;
import dev.lethe.events.VersionMetrics;
import dev.lethe.lineage.Lineage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage check the chaos bench applies to every model's committed chain. */
class ChaosVerdictTest {
    private static final Instant AT = Instant.parse("2026-12-02T02:00:00Z");
    private static final ModelRegistration REG = ModelRegistration.newBuilder().setModelId("m")
            .setArtifactUri("file:///a/" + "a".repeat(64)).setSha256("a".repeat(64)).setArchitecture("mlp")
            .setClassLabels(List.of("x", "y", "z")).setSampleBankUri("file:///b/" + "b".repeat(64))
            .setSampleBankSha256("b".repeat(64)).setDefaultAlphaR(100.0).setDefaultAlphaF(3.0).setRegisteredAt(AT).build();
    private static final UnlearningParameters PARAMS = new UnlearningParameters(30.0, 3.0, 300, 900, 16, 7L, null, true);

    @Test
    void anIntactChainHasNoBreaks() {
        Map<String, DeletionRequest> reqs = Map.of("r1", request("r1", 0), "r2", request("r2", 1));
        ModelVersion v0 = base();
        ModelVersion v1 = next(v0, reqs.get("r1"), "b");
        ModelVersion v2 = next(v1, reqs.get("r2"), "c");
        assertEquals(List.of(), ChaosVerdict.chainBreaks(REG, List.of(v0, v1, v2), reqs));
    }

    @Test
    void aGapADoubledVersionAndAForeignHashAreBreaks() {
        Map<String, DeletionRequest> reqs = Map.of("r1", request("r1", 0), "r2", request("r2", 1));
        ModelVersion v0 = base();
        ModelVersion v1 = next(v0, reqs.get("r1"), "b");
        ModelVersion v2 = next(v1, reqs.get("r2"), "c");
        assertEquals(1, ChaosVerdict.chainBreaks(REG, List.of(v0, v2), reqs).size(), "a gap");
        assertEquals(1, ChaosVerdict.chainBreaks(REG, List.of(v0, v1, v1), reqs).size(), "a version twice");
        ModelVersion forged = ModelVersion.newBuilder(v2).setLineageHash("0".repeat(64)).build();
        List<String> breaks = ChaosVerdict.chainBreaks(REG, List.of(v0, v1, forged), reqs);
        assertEquals(1, breaks.size());
        assertTrue(breaks.get(0).contains("lineage hash"), breaks.toString());
        assertEquals(1, ChaosVerdict.chainBreaks(REG, List.of(v1, v2), reqs).size(), "no base version");
    }

    private static DeletionRequest request(String id, int cls) {
        return DeletionRequest.newBuilder().setRequestId(id).setModelId("m").setClassIndices(List.of(cls))
                .setClassLabels(List.of()).setRequestedBy("t").setReason("t").setTenant("t").setRequestedAt(AT).build();
    }

    private static ModelVersion base() {
        return version(0, null, List.of(), "a", Lineage.root(REG));
    }

    private static ModelVersion next(ModelVersion parent, DeletionRequest req, String shaChar) {
        String sha = shaChar.repeat(64);
        return version(parent.getVersion() + 1, parent.getVersion(), List.of(req.getRequestId()), shaChar,
                Lineage.next(parent.getLineageHash(), req, PARAMS, sha));
    }

    private static ModelVersion version(long v, Long parent, List<String> requestIds, String shaChar, String lineage) {
        return ModelVersion.newBuilder().setModelId("m").setVersion(v).setParentVersion(parent)
                .setArtifactUri("file:///a/" + shaChar.repeat(64)).setSha256(shaChar.repeat(64)).setFormat("safetensors")
                .setForgottenClasses(List.of()).setForgottenLabels(List.of()).setRequestIds(requestIds).setParameters(PARAMS)
                .setMetrics(new VersionMetrics(0.9, 0.01, "test")).setCreatedAt(AT).setLineageHash(lineage).build();
    }
}
