package dev.lethe.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N child processes that each keep one CPU busy (a shell's empty loop: no I/O, no memory), the
 * "other load" of a contention measurement. Closing kills them; so does a shutdown hook, so that
 * an interrupted benchmark leaves no burner behind.
 */
final class Burners implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::kill, "lethe-bench-burners");

    private Burners() { }

    static Burners start(int n) throws IOException {
        Burners b = new Burners();
        Runtime.getRuntime().addShutdownHook(b.hook);
        try {
            for (int i = 0; i < n; i++) {
                b.processes.add(new ProcessBuilder("sh", "-c", "while :; do :; done")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    int count() {
        return processes.size();
    }

    private void kill() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (or ran) anyway
        }
    }
}
