package dev.lethe.stream;

import dev.lethe.lineage.UnknownModelException;
import dev.lethe.events.AuditDecision;
import dev.lethe.serde.SerdeException;
import dev.lethe.store.ArtifactCorruptException;
import dev.lethe.store.ArtifactNotFoundException;
import dev.lethe.store.ArtifactStoreException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The one place that decides whose fault a failure is (docs/architecture.md, "Whose fault").
 *
 * <p>The record's fault (it does not decode, it is invalid, it makes the engine fail): the
 * record gets its audit record, and a dead letter with its bytes where it was rejected, in
 * the same transaction as its offset; the stream moves on. Anything this class does not
 * know to be infrastructure counts as the record's fault: a failure that repeats on the same
 * record would otherwise stop the partition for good.
 *
 * <p>Infrastructure's fault (registry, broker, state store or artifact store unreachable):
 * the exception escapes, the task fails and is replaced, its transaction aborts and the same
 * record is read again once the fault is gone. Nothing is lost and nothing is answered wrongly
 * because of an outage.
 */
final class Faults {
    private Faults() { }

    /** The outcome of a record whose handling threw {@code e}; rethrows {@code e} if it is infrastructure's fault. */
    static Outcome judge(RuntimeException e, Inbound in) {
        if (isInfrastructure(e)) {
            throw e;
        }
        return switch (in.stage) {
            case DECODE -> new Outcome.Answered(AuditDecision.REJECTED, "undecodable: " + describe(e), null, true,
                    false, e);
            case VALIDATE -> new Outcome.Answered(AuditDecision.REJECTED, describe(e), null, true,
                    in.ownedHere && !(e instanceof UnknownModelException), e);
            case COMPUTE -> new Outcome.Answered(AuditDecision.FAILED, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), null, false, in.ownedHere, e);
        };
    }

    /** Faults that are not the record's: retrying the same record later can succeed. */
    static boolean isInfrastructure(Throwable e) {
        if (e instanceof SerdeException se) {
            return !se.recordAtFault(); // registry unreachable or refusing: not the bytes' fault
        }
        if (e instanceof SerializationException) {
            return false; // bytes that do not read
        }
        if (e instanceof KafkaException) {
            return true; // broker, producer, state store, task migration
        }
        if (e instanceof ArtifactNotFoundException || e instanceof ArtifactCorruptException) {
            return false; // the record names an artifact that is not there, or not what it says
        }
        return e instanceof ArtifactStoreException; // the store could not be reached or written
    }

    /** A check's own message says why; anything else is named by its class too. */
    private static String describe(RuntimeException e) {
        if (e instanceof IllegalArgumentException && e.getMessage() != null
                && e.getClass() == IllegalArgumentException.class) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
