package dev.lethe.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.stream.StreamConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store built from {@code lethe.artifacts=s3://bucket/prefix/} alone, everything else from
 * the AWS SDK's standard chains, against a real S3-API server (s3proxy): credentials, region and
 * endpoint from a profile in temporary shared credentials and config files (the files
 * AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE name, here through their system properties).
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class S3ChainIntegrationTest {
    private static final String WRONG_SECRET = "wrong-secret-9f3c1e";
    private static final String SESSION_TOKEN = "session-token-77ab2d";
    private static final String[] CHAIN_PROPERTIES = {"aws.sharedCredentialsFile", "aws.configFile", "aws.profile",
            "aws.region", "aws.endpointUrlS3", "aws.disableEc2Metadata", "aws.accessKeyId", "aws.secretAccessKey"};
    private static S3ProxyServer server;
    private static Path files;
    private final Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void startServer(@TempDir Path dir) throws Exception {
        server = S3ProxyServer.start(dir.resolve("s3"));
        files = dir;
        Files.writeString(dir.resolve("credentials"), String.join("\n",
                "[lethe-s3]",
                "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
                "aws_secret_access_key = " + S3ProxyServer.SECRET_KEY,
                "[wrong-secret]",
                "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
                "aws_secret_access_key = " + WRONG_SECRET,
                "[session]",
                "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
                "aws_secret_access_key = " + WRONG_SECRET,
                "aws_session_token = " + SESSION_TOKEN,
                "[local]",
                "aws_access_key_id = " + S3ProxyServer.ACCESS_KEY,
                "aws_secret_access_key = " + S3ProxyServer.SECRET_KEY,
                ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("config"), String.join("\n",
                "[profile lethe-s3]",
                "region = eu-central-1",
                "endpoint_url = " + server.endpoint(),
                "[profile wrong-secret]",
                "region = us-east-1",
                "[profile session]",
                "region = us-east-1",
                "endpoint_url = " + server.endpoint(),
                "[profile local]",
                "region = us-east-1",
                "endpoint_url = " + server.endpoint(),
                "[profile no-region]",
                ""), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void restoreProperties() {
        for (String p : CHAIN_PROPERTIES) {
            String before = saved.get(p);
            if (before == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, before);
            }
        }
    }

    /** The chain's inputs for this test only: these files, this profile, no instance metadata lookups. */
    private void useProfile(String profile) {
        for (String p : CHAIN_PROPERTIES) {
            saved.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
        System.setProperty("aws.sharedCredentialsFile", files.resolve("credentials").toString());
        System.setProperty("aws.configFile", files.resolve("config").toString());
        System.setProperty("aws.profile", profile);
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private static StreamConfig settings(Path home, String... env) throws Exception {
        Map<String, String> e = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return StreamConfig.load(home, null, new Properties(), e);
    }

    @Test
    void aProfileFromTheChainStoresAndReadsUnderTheConfiguredPrefix(@TempDir Path home) throws Exception {
        useProfile("lethe-s3");
        StreamConfig c = settings(home, "LETHE_ARTIFACTS", "s3://lethe-chain/runs/a");
        try (S3Client direct = direct()) {
            direct.createBucket(b -> b.bucket("lethe-chain"));
        }
        byte[] bytes = "weights of version 7".getBytes(StandardCharsets.UTF_8);
        ArtifactRef ref;
        try (ArtifactStore store = c.openArtifactStore()) {
            // Path-style was chosen by itself: virtual-hosted addressing would ask lethe-chain.127.0.0.1.
            String described = ArtifactStores.describe(store);
            assertTrue(described.contains("eu-central-1") && described.contains(server.endpoint().toString())
                    && described.contains("'" + S3ProxyServer.ACCESS_KEY + "'") && described.contains("(profile lethe-s3)"),
                    described);
            assertFalse(described.contains(S3ProxyServer.SECRET_KEY), described);
            ref = store.put(bytes);
            assertEquals("s3://lethe-chain/runs/a/sha256/" + ref.sha256().substring(0, 2) + "/" + ref.sha256(), ref.uri());
            assertArrayEquals(bytes, store.get(ref.uri()));
        }
        // A second store opened from the same settings (a serve replica, replay) resolves the URI.
        try (ArtifactStore again = c.openArtifactStore()) {
            assertArrayEquals(bytes, again.get(ref.uri()));
        }
        // And the object is where the URI says, seen by a client that knows nothing of the chain.
        try (S3Client direct = direct()) {
            assertEquals(bytes.length, direct.headObject(b -> b.bucket("lethe-chain")
                    .key("runs/a/sha256/" + ref.sha256().substring(0, 2) + "/" + ref.sha256())).contentLength());
        }
    }

    @Test
    void aWrongSecretStopsTheStartWithAClearMessageThatHoldsNoSecret(@TempDir Path home) throws Exception {
        useProfile("wrong-secret");
        System.setProperty("aws.endpointUrlS3", server.endpoint().toString()); // the other standard endpoint source
        StreamConfig c = settings(home, "LETHE_ARTIFACTS", "s3://lethe-chain/", "LETHE_S3_CREATE_BUCKET", "true");
        ArtifactStoreException e = assertThrows(ArtifactStoreException.class, c::openArtifactStore);
        String message = e.getMessage();
        assertTrue(message.contains("denied") && message.contains("403") && message.contains(S3ProxyServer.ACCESS_KEY)
                && message.contains("s3://lethe-chain/"), message);
        // With a session token as well (s3proxy does not take tokens: it fails otherwise, but it fails).
        restoreProperties();
        useProfile("session");
        ArtifactStoreException withToken = assertThrows(ArtifactStoreException.class, c::openArtifactStore);
        String everything = stackTrace(e) + stackTrace(withToken) + c.describe();
        for (String secret : new String[] {WRONG_SECRET, SESSION_TOKEN, S3ProxyServer.SECRET_KEY}) {
            assertFalse(everything.contains(secret), "a secret in: " + everything);
        }
    }

    @Test
    void aMissingBucketIsCreatedOnlyWhenAskedTo(@TempDir Path home) throws Exception {
        useProfile("local");
        ArtifactStoreException e = assertThrows(ArtifactStoreException.class,
                settings(home, "LETHE_ARTIFACTS", "s3://made-on-demand/x/")::openArtifactStore);
        assertTrue(e.getMessage().contains("'made-on-demand' does not exist") && e.getMessage().contains("lethe.s3.create-bucket"),
                e.getMessage());
        try (ArtifactStore store = settings(home, "LETHE_ARTIFACTS", "s3://made-on-demand/x/",
                "LETHE_S3_CREATE_BUCKET", "true").openArtifactStore()) {
            assertTrue(store.exists(store.put(new byte[] {1, 2, 3}).uri()));
        }
    }

    private static S3Client direct() {
        return S3ArtifactStore.client(server.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @Test
    void noRegionAnywhereSaysWhatToSet(@TempDir Path home) throws Exception {
        useProfile("no-region");
        StreamConfig c = settings(home, "LETHE_ARTIFACTS", "s3://lethe-chain/");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::openArtifactStore);
        assertTrue(e.getMessage().contains("no AWS region") && e.getMessage().contains("AWS_REGION"), e.getMessage());
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
