package dev.lethe.stream;

import dev.lethe.events.AuditDecision;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;

/**
 * What one consumed record comes to, decided before anything is written. The processor first
 * decides (no store writes, no forwards), then applies the outcome in one go, so that a failure
 * while deciding leaves nothing half-written for the transaction to commit.
 */
sealed interface Outcome {

    /** A new model: store it, publish version 0, audit ACCEPTED. */
    record Registered(ModelRegistration registration, ModelVersion base) implements Outcome { }

    /** A request answered with a new version: move the head, publish it, audit ACCEPTED. */
    record NewVersion(ModelRegistration model, ModelVersion parent, ModelVersion version) implements Outcome { }

    /**
     * Answered without a new version. {@code deadLetter}: keep the input's bytes on the
     * dead-letter topic; {@code remember}: record the answer under the request id, so that the
     * same id later is a DUPLICATE. {@code cause} names the error class in the dead letter.
     */
    record Answered(AuditDecision decision, String reason, Long version, boolean deadLetter, boolean remember,
                    Throwable cause) implements Outcome {

        static Answered duplicate(String reason, Long version) {
            return new Answered(AuditDecision.DUPLICATE, reason, version, false, false, null);
        }

        static Answered failed(String reason) {
            return new Answered(AuditDecision.FAILED, reason, null, false, true, null);
        }
    }
}
