package dev.lethe.store;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Artifacts as objects in an S3-compatible bucket, at {@code prefix + sha256/ab/abcdef...}.
 * S3 makes an object visible only once whole, so a put is atomic without help.
 */
public final class S3ArtifactStore implements ArtifactStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final boolean ownsClient;

    /** @param prefix key prefix inside the bucket, "" or ending in "/" (e.g. "lethe/"); the caller closes {@code s3} */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, false);
    }

    private S3ArtifactStore(S3Client s3, String bucket, String prefix, boolean ownsClient) {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end with '/': " + prefix);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.ownsClient = ownsClient;
    }

    /**
     * The store at {@code s3://bucket/prefix/} with a client from the AWS SDK's default chains
     * ({@link S3Chain}), checked once now so that a wrong region, endpoint, credential or bucket
     * stops the start with a clear message instead of failing every request later.
     *
     * @param pathStyle empty: path-style addressing exactly when an endpoint override is configured
     * @param createBucket create the bucket if it is missing (a local S3-compatible server, say)
     */
    public static S3ArtifactStore open(S3Location where, Optional<Boolean> pathStyle, boolean createBucket) {
        S3Client s3 = S3Chain.client(pathStyle);
        try {
            S3ArtifactStore store = new S3ArtifactStore(s3, where.bucket(), where.prefix(), true);
            store.checkBucket(createBucket);
            return store;
        } catch (RuntimeException | Error e) {
            s3.close();
            throw e;
        }
    }

    private void checkBucket(boolean create) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            createOrRefuse(create);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) { // HEAD has no body: some servers give no NoSuchBucket code
                throw new ArtifactStoreException("cannot use " + location() + ": " + S3Chain.reason(e, s3, bucket), e);
            }
            createOrRefuse(create);
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot reach " + location() + " (" + S3Chain.describe(s3) + "): "
                    + S3Chain.reason(e, s3, bucket), e);
        }
    }

    private void createOrRefuse(boolean create) {
        if (!create) {
            throw new ArtifactStoreException("bucket '" + bucket + "' does not exist (" + S3Chain.describe(s3)
                    + "); create it, or set lethe.s3.create-bucket=true", null);
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot create bucket '" + bucket + "': " + S3Chain.reason(e, s3, bucket), e);
        }
    }

    /** Where and through whose credentials, fit to print (an access key id, never a secret). */
    public String describe() {
        return location() + " (" + S3Chain.describe(s3) + ")";
    }

    private String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Closes the client if this store built it ({@link #open}); a client passed in belongs to the caller. */
    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    /**
     * A client for an S3-compatible endpoint (MinIO, Ceph, s3proxy...): path-style addressing,
     * since such servers rarely have per-bucket DNS, and checksums only where the API requires
     * them, because the SDK's default trailing checksums are refused by many non-AWS servers.
     */
    public static S3Client client(URI endpoint, String region, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public ArtifactRef put(byte[] bytes) {
        String sha = ContentAddress.sha256(bytes);
        String key = keyOf(sha);
        try {
            if (!holdsIntact(key, sha, bytes.length)) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) bytes.length)
                        .metadata(Map.of("sha256", sha)), RequestBody.fromBytes(bytes));
            }
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot store artifact " + uriOf(sha) + ": " + S3Chain.reason(e, s3, bucket), e);
        }
        return new ArtifactRef(uriOf(sha), sha, bytes.length);
    }

    @Override
    public byte[] get(String uriOrSha256) {
        String sha = ContentAddress.shaOf(uriOrSha256, this::uriOf);
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(keyOf(sha))).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new ArtifactNotFoundException(uriOrSha256);
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot read artifact " + uriOf(sha) + ": " + S3Chain.reason(e, s3, bucket), e);
        }
        ContentAddress.verify(uriOf(sha), sha, bytes);
        return bytes;
    }

    @Override
    public boolean exists(String uriOrSha256) {
        String sha = ContentAddress.shaOf(uriOrSha256, this::uriOf);
        try {
            return storedSize(keyOf(sha)) >= 0;
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot look up artifact " + uriOf(sha) + ": " + S3Chain.reason(e, s3, bucket), e);
        }
    }

    @Override
    public boolean delete(String uriOrSha256) {
        String sha = ContentAddress.shaOf(uriOrSha256, this::uriOf);
        try {
            boolean there = storedSize(keyOf(sha)) >= 0;
            if (there) {
                s3.deleteObject(b -> b.bucket(bucket).key(keyOf(sha)));
            }
            return there;
        } catch (SdkException e) {
            throw new ArtifactStoreException("cannot delete artifact " + uriOf(sha) + ": " + S3Chain.reason(e, s3, bucket), e);
        }
    }

    /**
     * Whether the key already holds these bytes, making the put a no-op. The content is checked
     * (only when the object exists, i.e. on a retry) so that a retry also repairs a damaged copy.
     */
    private boolean holdsIntact(String key, String sha, long size) {
        if (storedSize(key) != size) {
            return false;
        }
        try {
            return ContentAddress.sha256(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).equals(sha);
        } catch (NoSuchKeyException deletedMeanwhile) {
            return false;
        }
    }

    /** The object's size, or -1 if there is none. */
    private long storedSize(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD has no body, so some servers give no NoSuchKey code
                return -1;
            }
            throw e;
        }
    }

    String keyOf(String sha) {
        return prefix + ContentAddress.key(sha);
    }

    private String uriOf(String sha) {
        return "s3://" + bucket + "/" + keyOf(sha);
    }
}
