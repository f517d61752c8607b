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

    private Path fileOf(String sha) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(sha)).findFirst().orElseThrow();
        }
    }
}
