package dev.lethe.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.AlphaPair;
import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.store.ArtifactStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each input of issue 14 that used to stop the processor (or answer wrongly), on the test driver. */
class PoisonRecordTest {
    private TopologyHarness h = new TopologyHarness(Safeguards.DEFAULT);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aClassAlphasKeyThatIsNotANumberIsRejectedAtRegistrationWithItsReason() {
        ModelRegistration bad = LetheTopologyTest.registration("m");
        bad.setClassAlphas(Map.of("abc", AlphaPair.newBuilder().setAlphaR(10).setAlphaF(3).build()));
        h.registrations.pipeInput("m", bad);
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, a.getDecision());
        assertTrue(a.getReason().contains("class_alphas key 'abc'"), a.getReason());
        assertFalse(a.getReason().contains("undecodable"), "it decoded; it is invalid: " + a.getReason());
        assertEquals("m", a.getModelId());
        assertEquals(1, h.deadLetters.readValuesToList().size());
        assertTrue(h.versions.isEmpty(), "no version for a rejected registration");

        ModelRegistration outOfRange = LetheTopologyTest.registration("m");
        outOfRange.setClassAlphas(Map.of("4", AlphaPair.newBuilder().setAlphaR(10).setAlphaF(3).build()));
        h.registrations.pipeInput("m", outOfRange);
        assertTrue(h.audit.readValue().getReason().contains("not a class index (0..3)"));

        registerAndForget("m");
    }

    @Test
    void aRequestThatArrivesBeforeItsModelIsServedWhenSentAgainAfterTheRegistration() {
        h.requests.pipeInput("late", LetheTopologyTest.request("early", "late", List.of(1), List.of()));
        AuditRecord first = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, first.getDecision());
        assertTrue(first.getReason().contains("unknown model 'late'"), first.getReason());
        h.registrations.pipeInput("late", LetheTopologyTest.registration("late"));
        assertEquals(AuditDecision.ACCEPTED, h.audit.readValue().getDecision());
        h.requests.pipeInput("late", LetheTopologyTest.request("early", "late", List.of(1), List.of()));
        AuditRecord again = h.audit.readValue();
        assertEquals(AuditDecision.ACCEPTED, again.getDecision(), "the id was not used up: " + again);
        assertEquals(1L, again.getVersion());
    }

    @Test
    void anInputNearTheRecordLimitIsDeadLetteredAsAPrefixWithItsHashAndTheDeadLetterFits() {
        byte[] huge = new byte[Safeguards.DEFAULT_MAX_MESSAGE_BYTES - 200]; // what a broker at its defaults accepts
        new Random(14).nextBytes(huge);
        huge[0] = 0; // a wire-format header, then garbage
        h.rawRequests.pipeInput("m".getBytes(StandardCharsets.UTF_8), huge);
        TestRecord<String, DeadLetter> dead = h.deadLetters.readRecord();
        DeadLetter d = dead.value();
        byte[] written = h.bytes(h.topics.deadLetters(), d);
        assertTrue(TopologyHarness.recordSize(dead.key(), written) <= Safeguards.DEFAULT_MAX_MESSAGE_BYTES,
                "the dead letter fits the producer's limit: " + TopologyHarness.recordSize(dead.key(), written));
        assertEquals(huge.length, d.getOriginalValueBytes());
        assertEquals(DeadLetters.sha256(huge), d.getOriginalValueSha256());
        ByteBuffer kept = d.getOriginalValue();
        byte[] prefix = new byte[kept.remaining()];
        kept.get(prefix);
        assertTrue(prefix.length > huge.length / 2, "most of the value is kept: " + prefix.length);
        assertEquals(ByteBuffer.wrap(huge, 0, prefix.length), ByteBuffer.wrap(prefix), "a prefix, byte for byte");
        assertTrue(d.getErrorMessage().contains("only the first " + prefix.length), d.getErrorMessage());
        assertEquals(AuditDecision.REJECTED, h.audit.readValue().getDecision());
    }

    @Test
    void aSmallDeadLetterKeepsTheWholeValueAndNoHash() {
        h.rawRequests.pipeInput("m".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 9, 9});
        DeadLetter d = h.deadLetters.readValue();
        assertEquals(6, d.getOriginalValue().remaining());
        assertNull(d.getOriginalValueBytes());
        assertNull(d.getOriginalValueSha256());
    }

    @Test
    void aValidRequestQuotingAHugeLabelGetsABoundedReasonAndAFittingDeadLetter() {
        h.close();
        h = new TopologyHarness(new Safeguards(Safeguards.MIN_MESSAGE_BYTES, 0.2));
        register("m");
        DeletionRequest r = LetheTopologyTest.request("r", "m", List.of(), List.of("x".repeat(300_000)));
        h.requests.pipeInput("m", r);
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, a.getDecision());
        assertTrue(a.getReason().length() < Safeguards.MAX_REASON_CHARS + 100, "reason cut: " + a.getReason().length());
        TestRecord<String, DeadLetter> dead = h.deadLetters.readRecord();
        assertTrue(TopologyHarness.recordSize(dead.key(), h.bytes(h.topics.deadLetters(), dead.value()))
                <= Safeguards.MIN_MESSAGE_BYTES);
        assertTrue(dead.value().getOriginalValueBytes() > Safeguards.MIN_MESSAGE_BYTES);
    }

    @Test
    void retainStatisticsMissingFromTheStoreAfterARestartMeanRecomputeNotStop() throws Exception {
        register("m");
        h.requests.pipeInput("m", LetheTopologyTest.request("r1", "m", List.of(1), List.of()));
        assertEquals(1L, h.versions.readValuesToList().get(0).getVersion());
        waitFor(() -> h.engine.precomputed.get() >= 2); // version 0's and version 1's, off the stream thread
        Thread.sleep(50);
        h.driver.advanceWallClockTime(Duration.ofSeconds(1)); // the punctuator records their URIs
        h.engine.statisticsArtifactsMissing = true; // as after a restart whose store lost the files
        h.requests.pipeInput("m", LetheTopologyTest.request("r2", "m", List.of(2), List.of()));
        assertTrue(h.engine.adopted.get() >= 1, "the stored statistics were tried");
        List<AuditRecord> audit = h.audit.readValuesToList();
        assertEquals(AuditDecision.ACCEPTED, audit.get(audit.size() - 1).getDecision());
        assertEquals(2L, h.versions.readValue().getVersion());
    }

    @Test
    void aRegistrationWithAFalseSha256OrAnUnknownArchitectureIsRejectedBeforeAnyVersion() {
        h.engine.artifacts.put("mem://base", "b".repeat(64));
        h.registrations.pipeInput("m", LetheTopologyTest.registration("m"));
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, a.getDecision());
        assertTrue(a.getReason().contains("has sha256 " + "b".repeat(64)), a.getReason());

        ModelRegistration unknown = LetheTopologyTest.registration("n");
        unknown.setArchitecture("transformer-xl");
        h.registrations.pipeInput("n", unknown);
        assertTrue(h.audit.readValue().getReason().contains("unknown architecture"));
        assertTrue(h.versions.isEmpty(), "neither got a version 0");
        assertEquals(2, h.deadLetters.readValuesToList().size());

        h.requests.pipeInput("m", LetheTopologyTest.request("r", "m", List.of(1), List.of()));
        assertTrue(h.audit.readValue().getReason().contains("unknown model"), "the model was never registered");
    }

    @Test
    void aVersionThatDoesNotForgetFailsTheQualityGateAndIsNotPublished() {
        register("m");
        h.engine.forgetAccuracy = 0.858;
        h.requests.pipeInput("m", LetheTopologyTest.request("nine", "m", List.of(0, 1, 2), List.of()));
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.FAILED, a.getDecision());
        assertTrue(a.getReason().contains("quality gate") && a.getReason().contains("85.8%")
                && a.getReason().contains("20.0%"), a.getReason());
        assertTrue(h.versions.isEmpty(), "nothing published");
        assertTrue(h.deadLetters.isEmpty(), "a valid request that failed is audited, not dead-lettered");

        h.engine.forgetAccuracy = Double.NaN;
        h.requests.pipeInput("m", LetheTopologyTest.request("unmeasured", "m", List.of(1), List.of()));
        assertTrue(h.audit.readValue().getReason().contains("not measured"), "no measurement, no publication");

        h.engine.forgetAccuracy = 0.02;
        h.requests.pipeInput("m", LetheTopologyTest.request("good", "m", List.of(1), List.of()));
        ModelVersion v = h.versions.readValue();
        assertEquals(1L, v.getVersion(), "the failed attempts moved no head");
        assertEquals(List.of(1), v.getForgottenClasses());
    }

    @Test
    void theQualityGateThresholdComesFromConfiguration() throws IOException {
        StreamConfig c = StreamConfig.load(Path.of("/tmp"), null, Map.of("LETHE_QUALITY_MAX_FORGET_ACCURACY", "0.9"));
        h.close();
        h = new TopologyHarness(Safeguards.from(c));
        register("m");
        h.engine.forgetAccuracy = 0.858;
        h.requests.pipeInput("m", LetheTopologyTest.request("lenient", "m", List.of(1), List.of()));
        assertEquals(1L, h.versions.readValue().getVersion());
        assertThrows(IllegalArgumentException.class, () -> new Safeguards(Safeguards.DEFAULT_MAX_MESSAGE_BYTES, 1.5));
    }

    @Test
    void deadLettersAreKeyedWithTheOriginalKey() {
        h.rawRequests.pipeInput("some-model".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        TestRecord<String, DeadLetter> dead = h.deadLetters.readRecord();
        assertEquals("some-model", dead.key());
        assertEquals("some-model", StandardCharsets.UTF_8.decode(dead.value().getOriginalKey()).toString());
    }

    @Test
    void aNullValueRegistrationIsRejectedWithAReason() {
        h.rawRegistrations.pipeInput("m".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, a.getDecision());
        assertTrue(a.getReason().startsWith("empty record (no value)"), a.getReason());
        DeadLetter d = h.deadLetters.readValue();
        assertNull(d.getOriginalValue());
        assertEquals(IllegalArgumentException.class.getName(), d.getErrorClass());
    }

    @Test
    void aDecodableButInvalidRegistrationIsAuditedAsInvalidNotUndecodable() {
        ModelRegistration one = LetheTopologyTest.registration("m");
        one.setClassLabels(List.of("only"));
        h.registrations.pipeInput("m", one);
        AuditRecord a = h.audit.readValue();
        assertEquals("a model needs at least two classes", a.getReason());
    }

    @Test
    void aRequestKeyedOtherwiseThanItsModelIsRejectedAndNotRemembered() {
        register("m");
        h.requests.pipeInput("other", LetheTopologyTest.request("r", "m", List.of(1), List.of()));
        AuditRecord a = h.audit.readValue();
        assertEquals(AuditDecision.REJECTED, a.getDecision());
        assertTrue(a.getReason().contains("keyed by model id"), a.getReason());
        assertTrue(h.versions.isEmpty());
        assertEquals("other", h.deadLetters.readRecord().key());

        h.requests.pipeInput("m", LetheTopologyTest.request("r", "m", List.of(1), List.of()));
        assertEquals(AuditDecision.ACCEPTED, h.audit.readValue().getDecision(),
                "the misrouted attempt did not use up the request id");

        ModelRegistration misKeyed = LetheTopologyTest.registration("n");
        h.registrations.pipeInput("m", misKeyed);
        assertTrue(h.audit.readValue().getReason().contains("keyed by model id"));
    }

    @Test
    void anUnreachableArtifactStoreFailsTheTaskAndAnswersNothing() {
        register("m");
        h.engine.failNext = new ArtifactStoreException("cannot read artifact", new IOException("connection refused"));
        assertThrows(RuntimeException.class,
                () -> h.requests.pipeInput("m", LetheTopologyTest.request("r", "m", List.of(1), List.of())));
        assertTrue(h.audit.isEmpty(), "no answer: the record is read again after the task restarts");
        assertTrue(h.versions.isEmpty());
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void register(String model) {
        h.registrations.pipeInput(model, LetheTopologyTest.registration(model));
        assertEquals(AuditDecision.ACCEPTED, h.audit.readValue().getDecision());
        assertEquals(0L, h.versions.readValue().getVersion());
    }

    /** The processor is still answering: a registration and a request both go through. */
    private void registerAndForget(String model) {
        register(model);
        h.requests.pipeInput(model, LetheTopologyTest.request("after-" + model, model, List.of(1), List.of()));
        assertEquals(AuditDecision.ACCEPTED, h.audit.readValue().getDecision());
        assertEquals(1L, h.versions.readValue().getVersion());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached in 10 s");
    }
}
