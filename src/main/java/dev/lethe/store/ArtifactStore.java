package dev.lethe.store;

/**
 * Content-addressed storage for model artifacts (weights, patches, statistics). An artifact's
 * location derives from its sha256 alone, so writing the same bytes twice (a retried Kafka
 * transaction, say) lands in the same place and changes nothing, and every read is checked
 * against the hash it was asked for.
 *
 * <p>References accepted by {@link #get} and {@link #exists}: an {@link ArtifactRef#uri()}
 * this store produced, or a bare 64-hex-digit sha256.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Stores the bytes unless already present; returns where they are. */
    ArtifactRef put(byte[] bytes);

    /**
     * The artifact's bytes, verified against its sha256.
     *
     * @throws ArtifactNotFoundException if the store does not hold it
     * @throws ArtifactCorruptException if the stored bytes no longer hash to its sha256
     */
    byte[] get(String uriOrSha256);

    boolean exists(String uriOrSha256);

    /**
     * Removes the artifact if the store holds it (derived data that nothing needs any more, such
     * as the retain statistics of a superseded version); returns whether it was there. Weights
     * and patches are never deleted by Lethe: the audit trail replays from them.
     */
    boolean delete(String uriOrSha256);

    /** Releases what the store holds open (an S3 client's connections); a directory holds nothing. */
    @Override
    default void close() {
    }
}
