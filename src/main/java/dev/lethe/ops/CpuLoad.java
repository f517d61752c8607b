package dev.lethe.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many CPUs <em>other</em> processes keep busy, measured from the kernel's tick counters:
 * the machine's busy ticks ({@code /proc/stat}) minus this process's own ({@code /proc/self/stat}),
 * over the time since the previous sample. Subtracting our own ticks matters: a request that just
 * ran on two threads must not read as load that asks the next request to use fewer.
 *
 * <p>Sampled by a daemon thread every {@link #PERIOD_MS} ms (two small file reads); the figure is
 * smoothed over a few samples so that one burst of the JIT or the garbage collector does not count.
 */
final class CpuLoad {
    static final long PERIOD_MS = 500;
    /** Weight of the newest sample: about two seconds of memory at two samples a second. */
    private static final double SMOOTHING = 0.3;

    private final Path procStat;
    private final Path selfStat;
    private long lastTotal = -1;
    private long lastIdle;
    private long lastSelf;
    private int cpus;
    private volatile double othersBusy;

    CpuLoad(Path procStat, Path selfStat) {
        this.procStat = procStat;
        this.selfStat = selfStat;
    }

    /**
     * Starts sampling on a daemon thread. Until the samples settle, the figure is the kernel's
     * one-minute load average: a process that has just started has added nothing to it yet.
     */
    static CpuLoad startSampling() {
        CpuLoad load = new CpuLoad(Path.of("/proc/stat"), Path.of("/proc/self/stat"));
        load.othersBusy = loadAverage(Path.of("/proc/loadavg"));
        if (!load.sample()) {
            return load; // no /proc: the figure stays 0 and the pools keep their size
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                load.sample();
            }
        }, "lethe-cpu-load");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
        return load;
    }

    /** CPUs busy with other processes, smoothed over about two seconds. */
    double othersBusy() {
        return othersBusy;
    }

    /** Takes one sample; false when the counters cannot be read. */
    synchronized boolean sample() {
        try {
            String[] all = Files.readAllLines(procStat).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i = 1; i <= Math.min(8, all.length - 1); i++) {
                total += Long.parseLong(all[i]);
            }
            long idle = Long.parseLong(all[4]) + (all.length > 5 ? Long.parseLong(all[5]) : 0);
            long self = selfTicks(Files.readString(selfStat));
            if (cpus == 0) {
                cpus = (int) Files.readAllLines(procStat).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            }
            if (lastTotal >= 0 && total > lastTotal) {
                double window = (double) (total - lastTotal) / Math.max(1, cpus); // ticks per CPU elapsed
                double busy = (total - lastTotal) - (idle - lastIdle);
                double others = Math.max(0, busy - (self - lastSelf)) / window;
                othersBusy = SMOOTHING * others + (1 - SMOOTHING) * othersBusy;
            }
            lastTotal = total;
            lastIdle = idle;
            lastSelf = self;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The first field of /proc/loadavg; 0 when unreadable. */
    static double loadAverage(Path loadavg) {
        try {
            return Double.parseDouble(Files.readString(loadavg).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of /proc/self/stat; the command name (field 2) may hold spaces, so count from its ')'. */
    static long selfTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after ')' : state(3) ppid(4) ... utime is field 14, stime 15 -> indices 11 and 12 here
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
