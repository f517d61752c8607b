package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the chaos bench starts from its own class path (lethe.jar, lethe-bench.jar and their
 * libraries), with its output in a log file: started, waited for, SIGKILLed, restarted.
 */
final class ChildJvm {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;

    ChildJvm(String name, String heap, Map<String, String> env, Path log, String mainClass, String... args) {
        this.name = name;
        this.env = env;
        this.log = log;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        Optional.ofNullable(System.getProperty(dev.lethe.embedded.EmbeddedStack.APICURIO_DIR_PROPERTY))
                .ifPresent(d -> cmd.add("-D" + dev.lethe.embedded.EmbeddedStack.APICURIO_DIR_PROPERTY + "=" + d));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        this.command = List.copyOf(cmd);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Starts (again), appending to the log, and waits until the log shows {@code readyLine}. */
    void start(String readyLine, Duration timeout) throws IOException, InterruptedException {
        starts++;
        Files.writeString(log, "=== chaos bench: start " + starts + " of " + name + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long from = Files.size(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logSince(from).contains(readyLine)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; log " + log
                        + ":\n" + tail(logSince(from)));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + "; log " + log + ":\n" + tail(logSince(from)));
            }
            Thread.sleep(100);
        }
    }

    /**
     * SIGKILL on Linux: no shutdown hook, no clean close, an open transaction left behind.
     * Returns {@link System#nanoTime()} at the signal (the JVM takes a while longer to vanish).
     */
    long kill() throws InterruptedException {
        long at = System.nanoTime();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return at;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    /** The exit status of the last run; only once it has ended. */
    int exitValue() {
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
