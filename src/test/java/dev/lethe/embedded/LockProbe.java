package dev.lethe.embedded;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmbeddedStackIntegrationTest}: tries to start a stack on the
 * home in {@code args[0]} and reports the refusal, proving the lock holds across processes.
 * Exit 3 and the message on stdout: refused; exit 0: it was not.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            // the lock comes first, so a refused start never gets as far as the (absent) jar
            EmbeddedStack.start(Path.of(args[0]), Path.of("no-such-runner.jar")).close();
            System.exit(0);
        } catch (EmbeddedStack.AlreadyRunningException e) {
            System.out.print(e.getMessage());
            System.exit(3);
        }
    }
}
