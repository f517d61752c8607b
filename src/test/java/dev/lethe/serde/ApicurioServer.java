package dev.lethe.serde;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one Apicurio Registry (in-memory storage) for the whole test run, started
 * on first use and stopped when the run ends. Test classes say {@code @ExtendWith(ApicurioServer.class)}
 * and take an {@link EmbeddedRegistry} parameter.
 *
 * <p>The distribution is the one maven-dependency-plugin unpacks into {@code <build dir>/apicurio}
 * (system property {@code lethe.apicurio.dir} overrides, for runs outside Maven).
 */
public final class ApicurioServer implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store outlives every test class and closes AutoCloseable values at the end of the run.
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ApicurioServer.class, k -> start(), Shared.class).registry;
    }

    /** Starts a registry of its own, e.g. for tests of persistence; the caller closes it. */
    static EmbeddedRegistry startOwn(Path dataDir, EmbeddedRegistry.Storage storage) throws IOException {
        return EmbeddedRegistry.start(EmbeddedRegistry.findRunnerJar(distribution()), dataDir, storage);
    }

    static Path distribution() {
        String override = System.getProperty("lethe.apicurio.dir");
        if (override != null) {
            return Path.of(override);
        }
        try {
            // test-classes lives directly in the build directory, wherever -Dbuild.dir put it
            Path testClasses = Path.of(ApicurioServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().resolve("apicurio");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Shared start() {
        try {
            Path dataDir = Files.createTempDirectory("lethe-apicurio-");
            return new Shared(startOwn(dataDir, EmbeddedRegistry.Storage.MEMORY), dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Apicurio from " + distribution()
                    + " (run the build's generate-test-resources phase to unpack it)", e);
        }
    }

    private record Shared(EmbeddedRegistry registry, Path dataDir) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            registry.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f); // deepest first: a directory is empty when its turn comes
                }
            }
        }
    }
}
