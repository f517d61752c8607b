package dev.lethe.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over a byte array that refuses any length or item count larger than the
 * bytes that remain. Avro's own decoder allocates first and reads after, so one corrupt varint
 * in a poison record could make it allocate gigabytes and take the whole processor down with
 * an OutOfMemoryError; here it is an {@link EOFException} like any other truncation. Counting
 * items against bytes assumes every array or map item encodes to at least one byte, true of
 * every type but null and empty records, which Lethe's events never put in a collection.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;

    BoundedDecoder(BinaryDecoder in) {
        this.in = in;
    }

    boolean isEnd() throws IOException {
        return remaining() == 0;
    }

    private int remaining() throws IOException {
        return in.inputStream().available(); // exact for an array-backed BinaryDecoder
    }

    private int checked(long claimed, String what) throws IOException {
        int left = remaining();
        if (claimed < 0 || claimed > left) {
            throw new EOFException(what + " claims " + claimed + " but only " + left + " bytes remain");
        }
        return (int) claimed;
    }

    private long checkedCount(long count, String what) throws IOException {
        // A negative block count means "|count| items, then the block's byte size".
        checked(Math.abs(count), what + " item count");
        return count;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[checked(in.readLong(), "string length")];
        in.readFixed(bytes);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[checked(in.readLong(), "bytes length")];
        in.readFixed(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkedCount(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return checkedCount(in.arrayNext(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return checkedCount(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return checkedCount(in.mapNext(), "map");
    }

    // The rest reads fixed-size values or skips without allocating: plain delegation.

    @Override public void readNull() throws IOException { in.readNull(); }
    @Override public boolean readBoolean() throws IOException { return in.readBoolean(); }
    @Override public int readInt() throws IOException { return in.readInt(); }
    @Override public long readLong() throws IOException { return in.readLong(); }
    @Override public float readFloat() throws IOException { return in.readFloat(); }
    @Override public double readDouble() throws IOException { return in.readDouble(); }
    @Override public void skipString() throws IOException { in.skipString(); }
    @Override public void skipBytes() throws IOException { in.skipBytes(); }
    @Override public void readFixed(byte[] b, int start, int len) throws IOException { in.readFixed(b, start, len); }
    @Override public void skipFixed(int length) throws IOException { in.skipFixed(length); }
    @Override public int readEnum() throws IOException { return in.readEnum(); }
    @Override public long skipArray() throws IOException { return in.skipArray(); }
    @Override public long skipMap() throws IOException { return in.skipMap(); }
    @Override public int readIndex() throws IOException { return in.readIndex(); }
}
