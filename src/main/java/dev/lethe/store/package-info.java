/**
 * Content-addressed artifact storage (model weights, patches, statistics): a local directory or
 * S3-compatible object storage behind one small interface, {@link dev.lethe.store.ArtifactStore}.
 *
 * <p>An artifact's place is its sha256, so a retried write is a no-op and a Kafka record can
 * carry a reference instead of megabytes (claim check); every read is verified against the hash.
 */
package dev.lethe.store;
