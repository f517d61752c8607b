package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where demo, run and bench e2e get their base model: the zoo on an empty home, the home's own model after that. */
class BaseModelInstallTest {

    private static StreamOptions home(Path dir) {
        StreamOptions s = new StreamOptions();
        s.home = dir;
        return s;
    }

    @Test
    void anEmptyHomeGetsTheZooEntryWithoutTraining(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        Path dir = home(tmp).baseModel(new Common(), "vgg");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(tmp.resolve("models").resolve("vgg"), dir);
        assertArrayEquals(Zoo.weights("vgg").orElseThrow(), Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS)));
        assertEquals(Zoo.manifest("vgg").orElseThrow(), ModelFiles.readManifest(dir));
        assertTrue(seconds < 10, "installed, not trained: " + seconds + " s");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "weights and manifest, no partial files left");
        }
    }

    @Test
    void aHomeWithItsOwnModelKeepsIt(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models").resolve("vgg"));
        byte[] own = {1, 2, 3};
        Files.write(dir.resolve(ModelFiles.WEIGHTS), own);
        Manifest mine = new Manifest(Manifest.FORMAT, "vgg", List.of("a", "b"), null, null, ModelFiles.sha256(own), null,
                null, null, "my own training");
        ModelFiles.writeManifest(dir, mine);

        assertEquals(dir, home(tmp).baseModel(new Common(), "vgg"));
        assertArrayEquals(own, Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS)));
        assertEquals(mine, ModelFiles.readManifest(dir));
    }
}
