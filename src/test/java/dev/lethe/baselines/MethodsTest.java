package dev.lethe.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Training;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodsTest {
    @Test
    void everyIdNamesItsMethod() {
        for (String id : Methods.IDS) {
            assertEquals(id, Methods.create(id, Training.Progress.NONE).id());
        }
        assertEquals(List.of("ssd", "lethe"), Methods.parse(" ssd, LETHE ", Training.Progress.NONE).stream()
                .map(UnlearningMethod::id).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("scrub", Training.Progress.NONE));
        assertTrue(e.getMessage().contains("neggrad+"), e.getMessage());
    }

    /** A class the model already forgot is refused before any work, by every method alike. */
    @Test
    void everyMethodRefusesWhatTheEngineRefuses() {
        Fixture f = Fixture.get();
        for (String id : Methods.IDS) {
            UnlearningMethod m = Methods.create(id, Training.Progress.NONE);
            try (ModelFiles.Loaded loaded = f.load()) {
                Manifest gone = loaded.manifest().derived(null, null, List.of(Fixture.CLASS), "test");
                long t0 = System.nanoTime();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> m.run(loaded.network(), gone, f.splits, Set.of(Fixture.CLASS), 1), id);
                assertTrue(e.getMessage().contains("already forgotten"), id + ": " + e.getMessage());
                assertTrue(System.nanoTime() - t0 < 2_000_000_000L, id + " worked before refusing");
                assertThrows(IllegalArgumentException.class,
                        () -> m.run(loaded.network(), loaded.manifest(), f.splits, Set.of(10), 1), id);
            }
        }
    }
}
