package dev.lethe.store;

/** An artifact store operation failed; subclasses say when the artifact itself is the problem. */
public class ArtifactStoreException extends RuntimeException {
    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
