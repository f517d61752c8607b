package dev.lethe.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be written or read, with a machine-readable {@link Reason}. It extends
 * Kafka's {@link SerializationException} so that Kafka's own deserialization-error handlers
 * recognise it.
 */
public class SerdeException extends SerializationException {

    /** What went wrong; {@link #recordAtFault()} tells a poison record from an outage. */
    public enum Reason {
        /** The first byte is not the wire format's magic byte 0: not our framing at all. */
        BAD_MAGIC(true),
        /** Fewer bytes than the 5-byte header, or the Avro body ends early. */
        TRUNCATED(true),
        /** The schema id in the header is not known to the registry. */
        UNKNOWN_SCHEMA(true),
        /** The body does not decode with the writer's schema (or has bytes left over). */
        MALFORMED(true),
        /** The registry refused a schema as incompatible with the subject's versions (HTTP 409). */
        INCOMPATIBLE_SCHEMA(false),
        /** The registry refused a schema as invalid (HTTP 422). */
        INVALID_SCHEMA(false),
        /** The registry could not be reached or failed (I/O, timeout, HTTP 5xx): retry later. */
        REGISTRY_UNAVAILABLE(false),
        /** Any other unexpected answer from the registry. */
        REGISTRY_ERROR(false);

        private final boolean recordAtFault;

        Reason(boolean recordAtFault) {
            this.recordAtFault = recordAtFault;
        }

        /**
         * True when the bytes themselves are bad, so retrying cannot help and the record belongs
         * on a dead-letter topic; false when the fault lies elsewhere (registry, schema design)
         * and the record must not be dropped.
         */
        public boolean recordAtFault() {
            return recordAtFault;
        }
    }

    private final Reason reason;

    public SerdeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public SerdeException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public boolean recordAtFault() {
        return reason.recordAtFault();
    }
}
