package dev.lethe.store;

/** The store holds no artifact with the requested sha256. */
public class ArtifactNotFoundException extends ArtifactStoreException {
    public ArtifactNotFoundException(String reference) {
        super("no artifact " + reference + " in the store", null);
    }
}
