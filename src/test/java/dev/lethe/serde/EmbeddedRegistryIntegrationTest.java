package dev.lethe.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.ModelVersion;
import dev.lethe.serde.SerdeException.Reason;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry as the embedded mode runs it: stopped for real, and (FILE) remembering across restarts. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedRegistryIntegrationTest {

    @Test
    void fileStorageKeepsSchemasAndIdsAcrossARestart(@TempDir Path dataDir) throws Exception {
        int id;
        ProcessHandle first;
        try (EmbeddedRegistry registry = ApicurioServer.startOwn(dataDir, EmbeddedRegistry.Storage.FILE)) {
            first = registry.process();
            id = new RestSchemaRegistry(registry.ccompatUrl()).register("embedded-value", ModelVersion.getClassSchema());
        }
        assertFalse(first.isAlive(), "close() stops the child process");

        try (EmbeddedRegistry registry = ApicurioServer.startOwn(dataDir, EmbeddedRegistry.Storage.FILE)) {
            RestSchemaRegistry client = new RestSchemaRegistry(registry.ccompatUrl());
            assertEquals(ModelVersion.getClassSchema(), client.schemaById(id), "yesterday's id still resolves");
            assertEquals(id, client.register("embedded-value", ModelVersion.getClassSchema()));
        }
    }

    @Test
    void memoryStorageForgetsOnRestart(@TempDir Path dataDir) throws Exception {
        int id;
        try (EmbeddedRegistry registry = ApicurioServer.startOwn(dataDir, EmbeddedRegistry.Storage.MEMORY)) {
            id = new RestSchemaRegistry(registry.ccompatUrl()).register("embedded-value", ModelVersion.getClassSchema());
        }
        try (EmbeddedRegistry registry = ApicurioServer.startOwn(dataDir, EmbeddedRegistry.Storage.MEMORY)) {
            SerdeException e = assertThrows(SerdeException.class,
                    () -> new RestSchemaRegistry(registry.ccompatUrl()).schemaById(id));
            assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
            assertTrue(registry.log().toFile().length() > 0, "the child's output went to its log");
        }
    }
}
