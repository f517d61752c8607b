package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a measurement ran on. */
final class Machine {
    private Machine() { }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux: keep the generic name
        }
        long gib = Runtime.getRuntime().maxMemory() >> 30;
        return String.format("%s, %d cores visible to the JVM, %d GiB JVM heap, %s %s, Java %s", cpu,
                Runtime.getRuntime().availableProcessors(), gib, System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** The kernel's 1, 5 and 15 minute load averages ("unknown" off Linux): other work during a measurement. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
