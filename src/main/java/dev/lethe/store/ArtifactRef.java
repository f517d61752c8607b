package dev.lethe.store;

/**
 * Where an artifact lies and what it is: enough to fetch it and to check that what comes back
 * is what was stored.
 *
 * @param uri where the store keeps it ({@code file:} or {@code s3:}), stable for given bytes
 * @param sha256 lower-case hex sha256 of the bytes; the artifact's identity
 * @param size the number of bytes
 */
public record ArtifactRef(String uri, String sha256, long size) { }
