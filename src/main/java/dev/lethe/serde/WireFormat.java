package dev.lethe.serde;

import dev.lethe.serde.SerdeException.Reason;
import java.nio.ByteBuffer;

/** The Confluent wire format's header: magic byte 0, then the schema id as a big-endian int. */
final class WireFormat {
    static final byte MAGIC = 0;
    static final int HEADER_BYTES = 5;

    private WireFormat() { }

    static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC).putInt(schemaId);
    }

    /** The schema id of a framed record, after checking the frame is long enough and ours. */
    static int schemaId(byte[] framed) {
        if (framed.length < HEADER_BYTES) {
            throw new SerdeException(Reason.TRUNCATED, framed.length
                    + " bytes, fewer than the wire format's 5-byte header (magic byte + schema id)");
        }
        if (framed[0] != MAGIC) {
            throw new SerdeException(Reason.BAD_MAGIC, String.format(
                    "first byte is 0x%02x, not the wire format's magic byte 0x00", framed[0]));
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }
}
