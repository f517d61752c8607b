package dev.lethe.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 store against a real S3-API server (s3proxy), one bucket per test. */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3ArtifactStoreIntegrationTest extends ArtifactStoreContract {
    private static final String PREFIX = "lethe/";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void startServer(@TempDir Path dir) throws Exception {
        server = S3ProxyServer.start(dir);
        s3 = S3ArtifactStore.client(server.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    static void stopServer() {
        try {
            if (s3 != null) {
                s3.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Override
    ArtifactStore store() {
        bucket = "artifacts-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        return new S3ArtifactStore(s3, bucket, PREFIX);
    }

    @Override
    void overwriteBehindTheStoresBack(ArtifactRef ref, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(PREFIX + "sha256/" + ref.sha256().substring(0, 2) + "/" + ref.sha256()),
                RequestBody.fromBytes(bytes));
    }

    @Override
    long objectCount() {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().count();
    }

    @Test
    void urisNameTheBucketAndThePrefixedKey() {
        ArtifactRef ref = store().put("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("s3://" + bucket + "/lethe/sha256/ba/" + ref.sha256(), ref.uri());
        assertTrue(s3.headObject(b -> b.bucket(bucket).key("lethe/sha256/ba/" + ref.sha256())).contentLength() == 3);
    }
}
