package dev.lethe.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Models that ship inside Lethe's jar, so that a first {@code demo} or {@code run} starts from
 * a trained and tuned network instead of training one for half an hour. An entry is a model
 * directory (weights and manifest) under the resource folder {@code zoo/<architecture>/};
 * docs/zoo.md gives the command that reproduces each entry, its training time and its sha256.
 */
public final class Zoo {
    private static final String ROOT = "/zoo/";

    private Zoo() { }

    /** The entry's manifest, if the zoo has a model of this architecture. */
    public static Optional<Manifest> manifest(String architecture) throws IOException {
        byte[] bytes = read(architecture, ModelFiles.MANIFEST);
        return bytes == null ? Optional.empty() : Optional.of(ModelFiles.JSON.readValue(bytes, Manifest.class));
    }

    /** The entry's safetensors bytes, checked against its manifest's sha256; empty if there is no entry. */
    public static Optional<byte[]> weights(String architecture) throws IOException {
        Optional<Manifest> m = manifest(architecture);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        byte[] weights = read(architecture, ModelFiles.WEIGHTS);
        if (weights == null) {
            throw new IOException("the model zoo's " + architecture + " has a manifest but no " + ModelFiles.WEIGHTS);
        }
        String actual = ModelFiles.sha256(weights);
        if (!actual.equals(m.get().sha256())) {
            throw new IOException("the model zoo's " + architecture + " weights have sha256 " + actual
                    + ", its manifest says " + m.get().sha256() + " (a damaged jar or resource)");
        }
        return Optional.of(weights);
    }

    /**
     * Writes the entry as a model directory in {@code dir}; false (and nothing written) when the
     * zoo has no model of this architecture. The manifest is moved in last, so that a directory
     * with a manifest is a complete one even if the process dies half way.
     */
    public static boolean install(String architecture, Path dir) throws IOException {
        Optional<byte[]> weights = weights(architecture);
        if (weights.isEmpty()) {
            return false;
        }
        Files.createDirectories(dir);
        place(dir.resolve(ModelFiles.WEIGHTS), weights.get());
        place(dir.resolve(ModelFiles.MANIFEST), read(architecture, ModelFiles.MANIFEST));
        return true;
    }

    private static void place(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] read(String architecture, String file) throws IOException {
        if (!architecture.matches("[a-z0-9][a-z0-9-]*")) {
            return null; // a --spec file's name or a path: never a zoo entry
        }
        try (InputStream in = Zoo.class.getResourceAsStream(ROOT + architecture + "/" + file)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
