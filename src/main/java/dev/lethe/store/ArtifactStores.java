package dev.lethe.store;

import java.nio.file.Path;
import java.util.Optional;

/** The store a location names: {@code s3://bucket/prefix/} or a directory. */
public final class ArtifactStores {
    private ArtifactStores() { }

    /**
     * @param pathStyle S3 only; empty: path-style addressing exactly when an endpoint override is configured
     * @param createBucket S3 only; create a missing bucket instead of refusing to start
     */
    public static ArtifactStore open(String location, Optional<Boolean> pathStyle, boolean createBucket) {
        if (S3Location.isS3(location)) {
            return S3ArtifactStore.open(S3Location.parse(location), pathStyle, createBucket);
        }
        if (location == null || location.isBlank() || location.contains("://")) {
            throw new IllegalArgumentException("an artifact store is a directory or s3://bucket/prefix/, not '"
                    + location + "'");
        }
        return new DirectoryArtifactStore(Path.of(location));
    }

    /** One line for the start-up log. */
    public static String describe(ArtifactStore store) {
        if (store instanceof S3ArtifactStore s3) {
            return s3.describe();
        }
        if (store instanceof DirectoryArtifactStore dir) {
            return dir.root().toString();
        }
        return store.getClass().getSimpleName();
    }
}
