package dev.lethe.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.serde.SerdeException;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactStoreException;
import java.io.IOException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.junit.jupiter.api.Test;

/** The rule, case by case: what fails the task (retried) and what is the record's fault (answered). */
class FaultsTest {
    @Test
    void outagesAreInfrastructure() {
        assertTrue(Faults.isInfrastructure(new SerdeException(SerdeException.Reason.REGISTRY_UNAVAILABLE, "down")));
        assertTrue(Faults.isInfrastructure(new TimeoutException("broker")));
        assertTrue(Faults.isInfrastructure(new TaskMigratedException("rebalanced")));
        assertTrue(Faults.isInfrastructure(new ArtifactStoreException("cannot read", new IOException("refused"))));
    }

    @Test
    void badRecordsAndEverythingUnknownAreTheRecordsFault() {
        assertFalse(Faults.isInfrastructure(new SerdeException(SerdeException.Reason.MALFORMED, "garbage")));
        assertFalse(Faults.isInfrastructure(new SerdeException(SerdeException.Reason.UNKNOWN_SCHEMA, "id 99")));
        assertFalse(Faults.isInfrastructure(new ArtifactNotFoundException("mem://nothing")));
        assertFalse(Faults.isInfrastructure(new NumberFormatException("abc")));
        assertFalse(Faults.isInfrastructure(new IllegalStateException("bug triggered by this record")));
    }
}
