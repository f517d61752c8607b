package dev.lethe.stream;

import dev.lethe.lineage.Requests;
import dev.lethe.events.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Dead letters that always fit in a record. A dead letter holds the input's key and value byte
 * for byte, so an input near the record limit would make a dead letter over it, which the
 * producer refuses, aborting the transaction, forever. Such an input keeps a prefix of its
 * value, and the dead letter carries the original size and sha256 and says so in its message.
 */
final class DeadLetters {
    /** Room for everything but the key and value: topic name, error text, Avro and record framing. */
    static final int METADATA_RESERVE = 16 * 1024;
    /** Keys are model ids; one longer than this is cut (it appears twice: record key and field). */
    static final int MAX_KEY_BYTES = 4 * 1024;

    private final int maxMessageBytes;

    DeadLetters(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The dead letter's record key: the original key (as text), cut like the field. */
    static String key(byte[] originalKey) {
        return originalKey == null ? null : new String(keyKept(originalKey), StandardCharsets.UTF_8);
    }

    DeadLetter of(Inbound in, String reason, Throwable cause, Instant at) {
        byte[] key = in.record.key();
        byte[] value = in.record.value();
        StringBuilder message = new StringBuilder(Requests.bounded(reason, Safeguards.MAX_REASON_CHARS));
        byte[] keptKey = key == null ? null : keyKept(key);
        if (key != null && keptKey.length < key.length) {
            message.append(" [original key ").append(key.length).append(" bytes, sha256 ").append(sha256(key))
                    .append("; only the first ").append(keptKey.length).append(" are kept]");
        }
        int valueRoom = maxMessageBytes - METADATA_RESERVE - 2 * (keptKey == null ? 0 : keptKey.length);
        DeadLetter.Builder d = DeadLetter.newBuilder()
                .setOriginalKey(keptKey == null ? null : ByteBuffer.wrap(keptKey))
                .setSourceTopic(in.source.topic()).setSourcePartition(in.source.partition())
                .setSourceOffset(in.source.offset())
                .setErrorClass(cause == null ? "lethe.rejected" : cause.getClass().getName())
                .setAt(at);
        if (value != null && value.length > valueRoom) {
            String sha = sha256(value);
            d.setOriginalValue(ByteBuffer.wrap(Arrays.copyOf(value, valueRoom)))
                    .setOriginalValueBytes((long) value.length).setOriginalValueSha256(sha);
            message.append(" [original value ").append(value.length).append(" bytes, sha256 ").append(sha)
                    .append("; only the first ").append(valueRoom).append(" are kept, to fit a record of at most ")
                    .append(maxMessageBytes).append(" bytes]");
        } else {
            d.setOriginalValue(value == null ? null : ByteBuffer.wrap(value));
        }
        return d.setErrorMessage(message.toString()).build();
    }

    private static byte[] keyKept(byte[] key) {
        return key.length <= MAX_KEY_BYTES ? key : Arrays.copyOf(key, MAX_KEY_BYTES);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
