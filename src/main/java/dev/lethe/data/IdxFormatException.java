package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that cannot be read as such; the message always names the file. */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public IdxFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    public IdxFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The file that failed to read. */
    public Path file() {
        return file;
    }
}
