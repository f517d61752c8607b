package dev.lethe.lineage;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.UnlearningParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of model versions. A version's lineage hash commits to its parent's lineage
 * hash, the request (its canonical Avro bytes), the parameters and the artifact's sha256; the
 * base model's registration is the root. Changing any of them anywhere changes every later hash.
 */
public final class Lineage {
    private Lineage() { }

    public static String root(ModelRegistration registration) {
        MessageDigest d = digest();
        d.update("lethe-lineage-root/1".getBytes(StandardCharsets.UTF_8));
        d.update(CanonicalAvro.bytes(registration));
        return HexFormat.of().formatHex(d.digest());
    }

    public static String next(String parentLineage, DeletionRequest request, UnlearningParameters params, String sha256) {
        MessageDigest d = digest();
        d.update("lethe-lineage/1".getBytes(StandardCharsets.UTF_8));
        d.update(parentLineage.getBytes(StandardCharsets.US_ASCII));
        d.update(CanonicalAvro.bytes(request));
        d.update(CanonicalAvro.bytes(params));
        d.update(sha256.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d.digest());
    }

    /** The seed versions recorded before the version seed (Sampling.versionSeed): the request id hashed. */
    public static long seed(String requestId) {
        byte[] h = digest().digest(requestId.getBytes(StandardCharsets.UTF_8));
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (h[i] & 0xff);
        }
        return seed;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
