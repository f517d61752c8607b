package dev.lethe.serde;

import java.nio.file.Path;

/**
 * A stand-in for {@code bin/lethe run} in its own JVM: starts the embedded registry with file
 * storage, prints the registry's pid, and waits to be killed. Used by {@link RegistryOrphanIntegrationTest}.
 */
public final class RegistryParentMain {
    private RegistryParentMain() { }

    public static void main(String[] args) throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start(Path.of(args[0]), Path.of(args[1]),
                EmbeddedRegistry.Storage.FILE);
        System.out.println("registry-pid " + registry.process().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
