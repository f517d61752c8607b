package dev.lethe.data;

import java.io.IOException;

/**
 * Data that cannot be used as described: its message is the reason, written for the person who
 * described the data (a registration turns it into a rejection as it stands).
 */
public class DataException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataException(String reason) {
        super(reason);
    }

    public DataException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
