package dev.lethe.serde;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.AuditRecord;
import dev.lethe.events.DeadLetter;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.events.UnlearningParameters;
import dev.lethe.events.VersionMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in instance of each event, optional fields set, for round-trip tests. */
final class SampleEvents {
    // timestamp-millis keeps milliseconds only: a finer Instant would not round-trip.
    static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");

    private SampleEvents() { }

    static List<SpecificRecord> all() {
        return List.of(deletionRequest(), modelRegistration(), modelVersion(), auditRecord(), deadLetter());
    }

    static DeletionRequest deletionRequest() {
        return DeletionRequest.newBuilder().setRequestId("req-7f3a").setModelId("fmnist-vgg")
                .setClassIndices(List.of(6)).setClassLabels(List.of("Shirt"))
                .setRequestedBy("privacy-gateway").setReason("GDPR art. 17, ticket DP-1142").setTenant("acme")
                .setRequestedAt(AT).setAlphaR(30.0).setAlphaF(3.0).setExpectedParentVersion(2L).build();
    }

    static ModelRegistration modelRegistration() {
        return ModelRegistration.newBuilder().setModelId("fmnist-vgg")
                .setArtifactUri("file:///var/lib/lethe/artifacts/sha256/9f/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setArchitecture("vgg").setClassLabels(List.of("T-shirt/top", "Trouser", "Pullover"))
                .setSampleBankUri("file:///var/lib/lethe/artifacts/sha256/3a/3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7")
                .setSampleBankSha256("3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7")
                .setDefaultAlphaR(100.0).setDefaultAlphaF(3.0).setRegisteredAt(AT).build();
    }

    static ModelVersion modelVersion() {
        return ModelVersion.newBuilder().setModelId("fmnist-vgg").setVersion(3).setParentVersion(2L)
                .setArtifactUri("s3://models/lethe/sha256/ab/ab" + "0".repeat(62)).setSha256("ab" + "0".repeat(62))
                .setFormat("safetensors").setForgottenClasses(List.of(1, 6)).setForgottenLabels(List.of("Trouser", "Shirt"))
                .setRequestIds(List.of("req-7f3a"))
                .setParameters(new UnlearningParameters(30.0, 3.0, 300, 900, 16, -4_214_332_117_001L, null, true))
                .setMetrics(new VersionMetrics(0.9312, 0.004, "fashion-mnist test split, all 10,000"))
                .setCreatedAt(AT).setLineageHash("cd" + "1".repeat(62)).setArtifactBytes(1_234_567L)
                .setPatchUri("s3://models/lethe/sha256/ef/ef" + "2".repeat(62)).setPatchSha256("ef" + "2".repeat(62))
                .setPatchBytes(98_304L).build();
    }

    static AuditRecord auditRecord() {
        return AuditRecord.newBuilder().setRequestId("req-7f3a").setModelId("fmnist-vgg")
                .setDecision(AuditDecision.REJECTED).setReason("class 6 (Shirt) is already forgotten")
                .setVersion(null).setAt(AT).setSourceTopic("lethe.deletion-requests")
                .setSourcePartition(2).setSourceOffset(41_017L).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setOriginalKey(ByteBuffer.wrap(new byte[] {'m', '1'}))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}))
                .setSourceTopic("lethe.deletion-requests").setSourcePartition(0).setSourceOffset(7L)
                .setErrorClass("BAD_MAGIC").setErrorMessage("first byte is 0x01, not 0x00").setAt(AT).build();
    }
}
