package dev.lethe.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * A sha256 over the files a dataset is read from, in the order of their paths relative to the
 * data directory ('/'-separated, compared as strings): for each file, its relative path in
 * UTF-8, a zero byte, its length as 8 big-endian bytes, then its bytes. The same files under
 * another directory give the same fingerprint; a renamed, changed, added or removed file
 * changes it. docs/data.md recomputes it in a few lines of Python.
 */
final class Fingerprint {
    private Fingerprint() {}

    static String of(Path root, List<Path> files) throws IOException {
        TreeMap<String, Path> sorted = new TreeMap<>();
        for (Path f : files) {
            sorted.put(relative(root, f), f);
        }
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        for (var e : sorted.entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(ByteBuffer.allocate(8).putLong(Files.size(e.getValue())).array());
            try (InputStream in = Files.newInputStream(e.getValue())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String relative(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder s = new StringBuilder();
        for (Path part : rel) {
            s.append(s.length() == 0 ? "" : "/").append(part);
        }
        return s.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
