package dev.lethe.data;

import java.io.IOException;

/** No directory holding the dataset's files was found; the message says where Lethe looked. */
public final class DatasetNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetNotFoundException(String message) {
        super(message);
    }
}
