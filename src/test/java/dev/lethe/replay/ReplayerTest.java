package dev.lethe.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.ModelVersion;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A five-request history made by the real processor and engine, replayed from its base model:
 * all OK, and a flipped byte in an artifact or a changed event is caught at its version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayerTest {
    private Path dir;
    private DirectoryArtifactStore store;
    private History history;

    @BeforeAll
    void recordAHistory() throws Exception {
        Path data = Prerequisites.fashionMnist();
        dir = Files.createTempDirectory("lethe-replay");
        store = new DirectoryArtifactStore(dir);
        history = RecordedHistory.record(store, data, List.of(1, 3, 5, 7, 9));
        assertEquals(6, history.versions().size(), "base + five versions recorded");
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (dir != null) {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        }
    }

    @Test
    void anUntouchedHistoryReplaysBitForBit() {
        Replayer.Report report = new Replayer(store).replay(history, line -> { });
        assertEquals(6, report.lines().size());
        assertEquals(0, report.mismatches(), report.lines().toString());
    }

    @Test
    void aFlippedByteInAnArtifactFailsAtThatVersion() throws IOException {
        ModelVersion v3 = history.versionsOf("m").get(3);
        Path file = fileOf(v3.getSha256());
        byte[] original = Files.readAllBytes(file);
        byte[] bad = original.clone();
        bad[bad.length / 2] ^= 0x10;
        Files.write(file, bad);
        try {
            Replayer.Report report = new Replayer(store).replay(history, line -> { });
            Replayer.Line last = report.lines().get(report.lines().size() - 1);
            assertEquals(4, report.lines().size(), "stops at the first divergence");
            assertFalse(last.ok());
            assertEquals(3, last.version());
            assertTrue(last.detail().contains("artifact tampered"), last.detail());
        } finally {
            Files.write(file, original);
        }
    }

    @Test
    void aChangedEventFailsAtThatVersion() {
        History tampered = new History();
        history.registrations().values().forEach(tampered::add);
        history.requests().values().forEach(tampered::add);
        for (ModelVersion v : history.versions()) {
            ModelVersion copy = ModelVersion.newBuilder(v).build();
            if (v.getVersion() == 2) {
                copy.getParameters().setAlphaF(30.0); // claim other parameters than were used
            }
            tampered.add(copy);
        }
        Replayer.Report report = new Replayer(store).replay(tampered, line -> { });
        Replayer.Line last = report.lines().get(report.lines().size() - 1);
        assertEquals(2, last.version());
        assertTrue(last.detail().contains("event tampered"), last.detail());
    }

    /**
     * Versions made before the version seed recorded a seed derived from their request id: they
     * replay with it, bit for bit; a seed derived from neither is refused.
     */
    @Test
    void aVersionSeededFromItsRequestAsBeforeTheVersionSeedStillReplaysExactly() {
        dev.lethe.events.ModelRegistration reg = history.registrations().get("m");
        ModelVersion base = history.versionsOf("m").get(0);
        ModelVersion v1 = history.versionsOf("m").get(1);
        dev.lethe.events.DeletionRequest req = history.requests().get(v1.getRequestIds().get(0));
        long requestSeed = dev.lethe.lineage.Lineage.seed(req.getRequestId());
        dev.lethe.engine.UnlearningService.Produced p;
        try (dev.lethe.engine.UnlearningService engine = new dev.lethe.engine.UnlearningService(store,
                dev.lethe.engine.Sampling.DEFAULT)) {
            p = engine.forget(dev.lethe.lineage.Versions.model(reg), dev.lethe.lineage.Versions.head(base),
                    java.util.Set.copyOf(req.getClassIndices()), null, requestSeed);
        }
        ModelVersion old = recorded(v1, base, req, p, requestSeed);
        org.junit.jupiter.api.Assertions.assertNotEquals(v1.getSha256(), old.getSha256(), "another seed, other bits");
        Replayer.Report report = new Replayer(store).replay(historyOf(reg, req, base, old), line -> { });
        assertEquals(0, report.mismatches(), report.lines().toString());

        ModelVersion forged = recorded(v1, base, req, p, requestSeed + 1);
        Replayer.Line last = new Replayer(store).replay(historyOf(reg, req, base, forged), line -> { }).lines().get(1);
        assertFalse(last.ok());
        assertTrue(last.detail().contains("seed derives neither"), last.detail());
    }

    private static ModelVersion recorded(ModelVersion like, ModelVersion parent, dev.lethe.events.DeletionRequest req,
                                         dev.lethe.engine.UnlearningService.Produced p, long seed) {
        ModelVersion v = ModelVersion.newBuilder(like).build();
        v.getParameters().setSeed(seed);
        v.setSha256(p.artifact().sha256());
        v.setArtifactUri(p.artifact().uri());
        v.setArtifactBytes(p.artifact().size());
        v.setPatchUri(p.patch().uri());
        v.setPatchSha256(p.patch().sha256());
        v.setLineageHash(dev.lethe.lineage.Lineage.next(parent.getLineageHash(), req, v.getParameters(), v.getSha256()));
        return v;
    }

    private static History historyOf(dev.lethe.events.ModelRegistration reg, dev.lethe.events.DeletionRequest req,
                                     ModelVersion... versions) {
        History h = new History();
        h.add(reg);
        h.add(req);
        for (ModelVersion v : versions) {
            h.add(v);
        }
        return h;
    }

    private Path fileOf(String sha) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(sha)).findFirst().orElseThrow();
        }
    }
}
