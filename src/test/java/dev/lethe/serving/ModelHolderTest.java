package dev.lethe.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.events.ModelVersion;
import dev.lethe.replay.History;
import dev.lethe.replay.RecordedHistory;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A serving instance swapping versions made by the real processor while it answers predictions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelHolderTest {
    private Path dir;
    private DirectoryArtifactStore store;
    private List<ModelVersion> versions;
    private float[] image;

    @BeforeAll
    void recordVersions() throws Exception {
        Path data = Prerequisites.fashionMnist();
        dir = Files.createTempDirectory("lethe-serving");
        store = new DirectoryArtifactStore(dir);
        History h = RecordedHistory.record(store, data, List.of(1, 3, 5, 7, 9));
        versions = h.versionsOf("m");
        Dataset test = FashionMnist.loadTest(data);
        image = test.image(0);
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (dir != null) {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        }
    }

    @Test
    void swapsVersionsUnderSteadyPredictionsWithoutAFailedOne() throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (ModelHolder holder = new ModelHolder("mlp", store)) {
            assertEquals(Optional.empty(), holder.offer(versions.get(0)));
            List<Thread> clients = Stream.generate(() -> new Thread(() -> {
                long last = -1;
                while (running.get()) {
                    try {
                        long v = holder.predict(image).version();
                        if (v < last) {
                            failures.add(new AssertionError("went back from version " + last + " to " + v));
                        }
                        last = v;
                        seen.add(v);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
            })).limit(3).toList();
            clients.forEach(Thread::start);
            for (ModelVersion v : versions.subList(1, versions.size())) {
                assertEquals(Optional.empty(), holder.offer(v), "version " + v.getVersion() + " taken");
            }
            Thread.sleep(200);
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(failures.isEmpty(), "failed predictions: " + failures);
            assertEquals(5L, holder.version().orElseThrow().getVersion());
            assertEquals(5L, holder.metrics().patchesApplied.get(), "each new version arrived as a patch of its parent");
            assertTrue(seen.size() > 10 && seen.contains(5L), "predictions answered: " + seen.size());
        }
    }

    @Test
    void aVersionThatDoesNotVerifyIsRefusedAndTheOldOneKeepsServing() throws IOException {
        try (ModelHolder holder = new ModelHolder("mlp", store)) {
            holder.offer(versions.get(0));
            ModelVersion lying = ModelVersion.newBuilder(versions.get(1)).setSha256("0".repeat(64)).build();
            assertTrue(holder.offer(lying).orElseThrow().contains("hash"));
            // A flipped byte in a stored artifact: fetched in full (the holder lacks its parent) and refused.
            ModelVersion v2 = versions.get(2);
            Path file = fileOf(v2.getSha256());
            byte[] original = Files.readAllBytes(file);
            byte[] bad = original.clone();
            bad[bad.length - 5] ^= 1;
            Files.write(file, bad);
            try {
                assertTrue(holder.offer(v2).isPresent(), "corrupted artifact refused");
            } finally {
                Files.write(file, original);
            }
            assertEquals(0L, holder.version().orElseThrow().getVersion());
            assertEquals(2L, holder.metrics().refusals.get());
            assertEquals(0L, holder.predict(image).version(), "still serving the old version");
        }
    }

    private Path fileOf(String sha) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(sha)).findFirst().orElseThrow();
        }
    }
}
