package dev.lethe.data;

import java.nio.file.Path;

/** A file that cannot be read as its format says; the message always names the file. */
public final class DataFormatException extends DataException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DataFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    public DataFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The file that failed to read. */
    public Path file() {
        return file;
    }
}
