package dev.lethe.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running embedded stack can be reached, as published in its home's
 * {@code endpoints.properties} for other Lethe processes ({@code bin/lethe request}).
 *
 * @param pid the process that runs the stack
 */
public record Endpoints(String bootstrapServers, String registryUrl, long pid) {

    static final String FILE = "endpoints.properties";
    private static final String BOOTSTRAP = "bootstrap.servers";
    private static final String REGISTRY = "registry.url";
    private static final String PID = "pid";

    /** Writes to a temporary name, then renames: a reader never sees half a file. */
    void writeTo(Path home) {
        Properties p = new Properties();
        p.setProperty(BOOTSTRAP, bootstrapServers);
        p.setProperty(REGISTRY, registryUrl);
        p.setProperty(PID, Long.toString(pid));
        Path target = home.resolve(FILE);
        try {
            Path temp = Files.createTempFile(home, FILE, ".tmp");
            try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(w, "Lethe's embedded stack; present only while it runs");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The file's content, or empty when there is no file or it is not a complete one. */
    static Optional<Endpoints> readFrom(Path home) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(home.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + home.resolve(FILE), e);
        }
        String bootstrap = p.getProperty(BOOTSTRAP);
        String registry = p.getProperty(REGISTRY);
        String pid = p.getProperty(PID);
        if (bootstrap == null || registry == null || pid == null || !pid.matches("\\d+")) {
            return Optional.empty();
        }
        return Optional.of(new Endpoints(bootstrap, registry, Long.parseLong(pid)));
    }

    static void deleteFrom(Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + home.resolve(FILE), e);
        }
    }
}
