package dev.lethe.store;

/**
 * The stored bytes no longer hash to the sha256 they were stored under: damaged or tampered
 * with. Never use such bytes; re-put the artifact from a good copy.
 */
public class ArtifactCorruptException extends ArtifactStoreException {
    public ArtifactCorruptException(String uri, String expectedSha256, String actualSha256, long size) {
        super("artifact " + uri + " is corrupt: its " + size + " bytes hash to sha256 " + actualSha256
                + ", not the " + expectedSha256 + " it was stored under", null);
    }
}
