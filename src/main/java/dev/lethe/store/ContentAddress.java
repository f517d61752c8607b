package dev.lethe.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The layout shared by every store: {@code sha256/ab/abcdef...}, and hashing. */
final class ContentAddress {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ContentAddress() { }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Relative location of an artifact; the two-character fan-out keeps directories small. */
    static String key(String sha256) {
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    /**
     * The sha256 a reference names: the reference itself if it is a bare hash, else the last
     * segment of a URI, which must then be exactly the URI this store would give that hash
     * (so a URI of another store, or one with {@code ..} in it, is refused, not followed).
     */
    static String shaOf(String reference, Function<String, String> uriOf) {
        String lower = reference.toLowerCase();
        if (SHA256.matcher(lower).matches()) {
            return lower;
        }
        String last = reference.substring(reference.lastIndexOf('/') + 1);
        if (!SHA256.matcher(last).matches() || !uriOf.apply(last).equals(reference)) {
            throw new IllegalArgumentException("'" + reference + "' is neither a sha256 nor an artifact URI of this store");
        }
        return last;
    }

    static void verify(String uri, String expected, byte[] bytes) {
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new ArtifactCorruptException(uri, expected, actual, bytes.length);
        }
    }
}
