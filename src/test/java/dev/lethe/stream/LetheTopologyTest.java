package dev.lethe.stream;

import dev.lethe.lineage.Lineage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor's decisions, driven record by record without a broker. */
class LetheTopologyTest {
    private static final List<String> LABELS = List.of("zero", "one", "two", "three");
    private TopologyHarness h;
    private FakeUnlearner engine;
    private TestInputTopic<String, DeletionRequest> requests;
    private TestInputTopic<byte[], byte[]> rawRequests;
    private TestInputTopic<String, ModelRegistration> registrations;
    private TestOutputTopic<String, ModelVersion> versions;
    private TestOutputTopic<String, AuditRecord> audit;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private AuditRecord registered;

    @BeforeEach
    void start() {
        h = new TopologyHarness(Safeguards.DEFAULT);
        engine = h.engine;
        requests = h.requests;
        rawRequests = h.rawRequests;
        registrations = h.registrations;
        versions = h.versions;
        audit = h.audit;
        deadLetters = h.deadLetters;
        registrations.pipeInput("m", registration("m"));
        registered = audit.readValue(); // a registration is audited too: one audit record per input
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void registrationEmitsTheBaseVersion() {
        ModelVersion base = versions.readValue();
        assertEquals(0, base.getVersion());
        assertEquals("a".repeat(64), base.getSha256());
        assertEquals(Lineage.root(registration("m")), base.getLineageHash());
        assertEquals(AuditDecision.ACCEPTED, registered.getDecision());
        assertEquals("m", registered.getModelId());
        assertEquals(0L, registered.getVersion());
        assertNull(registered.getRequestId());
        registrations.pipeInput("m", registration("m")); // the same registration again changes nothing
        assertTrue(versions.isEmpty());
        AuditRecord again = audit.readValue();
        assertEquals(AuditDecision.DUPLICATE, again.getDecision());
        assertTrue(again.getReason().contains("already registered"), again.getReason());
    }

    @Test
    void requestsBecomeVersionsInOrderWithAChainedLineage() {
        ModelVersion base = versions.readValue();
        requests.pipeInput("m", request("r1", "m", List.of(1), List.of()));
        requests.pipeInput("m", request("r2", "m", List.of(), List.of("three")));
        ModelVersion v1 = versions.readValue();
        ModelVersion v2 = versions.readValue();
        assertEquals(List.of(1L, 2L), List.of(v1.getVersion(), v2.getVersion()));
        assertEquals(1L, v2.getParentVersion());
        assertEquals(List.of(1, 3), v2.getForgottenClasses());
        assertEquals(List.of("one", "three"), v2.getForgottenLabels());
        assertEquals(List.of("r2"), v2.getRequestIds());
        assertNotEquals(base.getLineageHash(), v1.getLineageHash());
        assertNotEquals(v1.getLineageHash(), v2.getLineageHash());
        List<AuditRecord> decisions = audit.readValuesToList();
        assertEquals(List.of(AuditDecision.ACCEPTED, AuditDecision.ACCEPTED),
                decisions.stream().map(AuditRecord::getDecision).toList());
        assertEquals(2L, decisions.get(1).getVersion());
    }

    @Test
    void aDuplicateRequestIsAuditedAndProducesNothing() {
        versions.readValue();
        requests.pipeInput("m", request("same", "m", List.of(2), List.of()));
        requests.pipeInput("m", request("same", "m", List.of(2), List.of()));
        assertEquals(1, versions.readValuesToList().size());
        assertEquals(List.of(AuditDecision.ACCEPTED, AuditDecision.DUPLICATE),
                audit.readValuesToList().stream().map(AuditRecord::getDecision).toList());
        assertEquals(1, engine.forgotten.size(), "the engine ran once");
    }

    @Test
    void badInputIsDeadLetteredWithItsReasonAndTheNextGoodRequestSucceeds() {
        versions.readValue();
        rawRequests.pipeInput("m".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        requests.pipeInput("nope", request("r-unknown-model", "nope", List.of(1), List.of()));
        requests.pipeInput("m", request("r-unknown-class", "m", List.of(7), List.of()));
        requests.pipeInput("m", request("r-unknown-label", "m", List.of(), List.of("seven")));
        requests.pipeInput("m", request("r-all", "m", List.of(0, 1, 2, 3), List.of()));
        DeletionRequest badAlpha = request("r-alpha", "m", List.of(1), List.of());
        badAlpha.setAlphaF(-1.0);
        requests.pipeInput("m", badAlpha);
        DeletionRequest stale = request("r-stale", "m", List.of(1), List.of());
        stale.setExpectedParentVersion(5L);
        requests.pipeInput("m", stale);
        requests.pipeInput("m", request("r-good", "m", List.of(1), List.of()));

        List<AuditRecord> decisions = audit.readValuesToList();
        assertEquals(8, decisions.size(), "one audit record per input");
        for (int i = 0; i < 7; i++) {
            assertEquals(AuditDecision.REJECTED, decisions.get(i).getDecision(), "input " + i);
        }
        assertNull(decisions.get(0).getRequestId(), "undecodable bytes have no request id");
        assertTrue(decisions.get(0).getReason().contains("undecodable"), decisions.get(0).getReason());
        assertTrue(decisions.get(1).getReason().contains("unknown model"));
        assertTrue(decisions.get(2).getReason().contains("unknown class 7"));
        assertTrue(decisions.get(3).getReason().contains("seven"));
        assertTrue(decisions.get(4).getReason().contains("every class"));
        assertTrue(decisions.get(5).getReason().contains("alpha_f"));
        assertTrue(decisions.get(6).getReason().contains("parent version mismatch"));
        assertEquals(AuditDecision.ACCEPTED, decisions.get(7).getDecision());

        List<DeadLetter> dead = deadLetters.readValuesToList();
        assertEquals(7, dead.size());
        assertEquals(3, dead.get(0).getOriginalValue().remaining(), "the original bytes are kept");
        assertEquals(h.topics.requests(), dead.get(0).getSourceTopic());
        assertEquals(1L, versions.readValue().getVersion());
        assertTrue(versions.isEmpty());
    }

    @Test
    void alreadyForgottenClassesAreRejectedAndFailuresAreAudited() {
        versions.readValue();
        requests.pipeInput("m", request("r1", "m", List.of(2), List.of()));
        requests.pipeInput("m", request("r2", "m", List.of(2), List.of()));
        engine.failNext = new IllegalStateException("disk full");
        requests.pipeInput("m", request("r3", "m", List.of(3), List.of()));
        List<AuditRecord> decisions = audit.readValuesToList();
        assertEquals(AuditDecision.REJECTED, decisions.get(1).getDecision());
        assertTrue(decisions.get(1).getReason().contains("already forgotten"));
        assertEquals(AuditDecision.FAILED, decisions.get(2).getDecision());
        assertTrue(decisions.get(2).getReason().contains("disk full"));
        assertEquals(1, versions.readValuesToList().size());
    }

    @Test
    void requestsSeedFromTheirParentAndAVersionNoHeadPointsAtIsRetiredWithItsStatistics() throws Exception {
        ModelVersion base = versions.readValue();
        registrations.pipeInput("twin", registration("twin")); // the same weights as "m"
        versions.readValue();
        org.apache.kafka.streams.state.KeyValueStore<String, String> stats =
                h.driver.getKeyValueStore(LetheTopology.STATISTICS_STORE);
        recorded(stats, base.getSha256()); // captured on the background thread, recorded by the punctuator
        assertEquals("mem://stats-" + base.getSha256(), stats.get(base.getSha256()));

        requests.pipeInput("m", request("r1", "m", List.of(1), List.of()));
        ModelVersion v1 = versions.readValue();
        assertEquals(dev.lethe.engine.Sampling.versionSeed(base.getSha256()), v1.getParameters().getSeed());
        assertTrue(engine.retired.isEmpty(), "the twin's head is still the base: " + engine.retired);
        assertEquals("mem://stats-" + base.getSha256(), stats.get(base.getSha256()));

        requests.pipeInput("twin", request("r2", "twin", List.of(2), List.of()));
        versions.readValue();
        assertEquals(List.of(base.getSha256()), engine.retired);
        assertEquals("mem://stats-" + base.getSha256(), engine.retiredStatistics.get(base.getSha256()));
        assertNull(stats.get(base.getSha256()), "the store forgets the superseded statistics");

        recorded(stats, v1.getSha256());
        requests.pipeInput("m", request("r3", "m", List.of(3), List.of()));
        ModelVersion v2 = versions.readValue();
        assertEquals(dev.lethe.engine.Sampling.versionSeed(v1.getSha256()), v2.getParameters().getSeed());
        assertEquals(List.of(base.getSha256(), v1.getSha256()), engine.retired);
        assertNull(stats.get(v1.getSha256()));
    }

    /** Advances the wall clock until the punctuator has recorded the version's statistics (bounded). */
    private void recorded(org.apache.kafka.streams.state.KeyValueStore<String, String> stats, String sha)
            throws InterruptedException {
        for (int i = 0; i < 200 && stats.get(sha) == null; i++) {
            Thread.sleep(10);
            h.driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        }
    }

    static ModelRegistration registration(String id) {
        return ModelRegistration.newBuilder().setModelId(id).setArtifactUri("mem://base").setSha256("a".repeat(64))
                .setFormat("safetensors").setArchitecture("vgg").setClassLabels(LABELS)
                .setSampleBankUri("/nowhere").setSampleBankSha256(null).setDefaultAlphaR(100).setDefaultAlphaF(3)
                .setRegisteredAt(Instant.ofEpochMilli(0)).build();
    }

    static DeletionRequest request(String id, String model, List<Integer> classes, List<String> labels) {
        return DeletionRequest.newBuilder().setRequestId(id).setModelId(model).setClassIndices(classes)
                .setClassLabels(labels).setRequestedBy("test").setReason("test").setTenant("t")
                .setRequestedAt(Instant.ofEpochMilli(0)).setAlphaR(null).setAlphaF(null)
                .setExpectedParentVersion(null).build();
    }
}
