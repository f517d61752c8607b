package dev.lethe.data;

/** The dataset's directory or one of its files is not there; the message says where Lethe looked. */
public final class DatasetNotFoundException extends DataException {
    private static final long serialVersionUID = 1L;

    public DatasetNotFoundException(String message) {
        super(message);
    }
}
