package dev.lethe.stream;

import dev.lethe.lineage.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One consumed record and what is known about it so far. The handlers fill it in as they get
 * further (decoded, checked, computing), so that {@link Faults} can say, for a failure at any
 * point, what the record was and how far it got.
 */
final class Inbound {
    /** How far the handling got: a failure's meaning depends on it. */
    enum Stage {
        /** Turning bytes into an event: a failure means the bytes are not one. */
        DECODE,
        /** Checking the decoded event against the model's state: a failure is a rejection. */
        VALIDATE,
        /** The engine computing a version the checks allowed: a failure is the request's FAILED answer. */
        COMPUTE
    }

    final Record<byte[], byte[]> record;
    final RecordMetadata source;
    Stage stage = Stage.DECODE;
    /** Null until decoded; the audit record carries them (bounded, see {@link Requests#bounded}). */
    String requestId;
    String modelId;
    /**
     * True once the record is known to belong to this task (its key is its model id) and its ids
     * are fit to be a store key: only then may its answer be remembered for idempotency.
     */
    boolean ownedHere;

    Inbound(Record<byte[], byte[]> record, RecordMetadata source) {
        this.record = record;
        this.source = source;
    }

    boolean isRegistration(Topics topics) {
        return source.topic().equals(topics.registrations());
    }

    /** The record key as text (keys are model ids, UTF-8); null for a null key. */
    String key() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }
}
