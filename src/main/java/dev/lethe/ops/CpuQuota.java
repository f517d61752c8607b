package dev.lethe.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CPUs this process may use according to its cgroup: v2 {@code cpu.max} first, then the v1
 * CFS quota. The JVM's own container support answers a different question (how many processors
 * to report, rounded up), and the native pools never ask: they see the node's cores.
 *
 * <p>Every file is read relative to a root so that tests can fake a cgroup tree in a directory.
 */
public final class CpuQuota {
    /** A limit and the file it came from, for the start-up line. */
    public record Limit(double cpus, String source) { }

    private final Path cgroupRoot;
    private final Path selfCgroup;

    public CpuQuota(Path cgroupRoot, Path selfCgroup) {
        this.cgroupRoot = cgroupRoot;
        this.selfCgroup = selfCgroup;
    }

    /** This machine's cgroup mount and this process's membership. */
    public static CpuQuota system() {
        return new CpuQuota(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"));
    }

    /** The quota in CPUs, or empty when there is none (or nothing readable says so). */
    public Optional<Limit> read() {
        Optional<Limit> v2 = v2();
        return v2.isPresent() ? v2 : v1();
    }

    /**
     * cgroup v2: {@code cpu.max} ("max 100000" or "150000 100000") in the process's own group and
     * every group above it; the tightest wins, because a parent's limit caps its children too.
     */
    private Optional<Limit> v2() {
        Optional<Limit> best = Optional.empty();
        for (Path dir : ancestors(membership("0", ""))) {
            Optional<Limit> here = ratio(dir.resolve("cpu.max"), null);
            if (here.isPresent() && (best.isEmpty() || here.get().cpus() < best.get().cpus())) {
                best = here;
            }
        }
        return best;
    }

    /** cgroup v1: cpu.cfs_quota_us / cpu.cfs_period_us in the cpu controller's hierarchy (-1: no quota). */
    private Optional<Limit> v1() {
        String path = membership(null, "cpu");
        for (String mount : List.of("cpu", "cpu,cpuacct", "cpuacct,cpu")) {
            for (Path dir : List.of(under(cgroupRoot.resolve(mount), path), cgroupRoot.resolve(mount))) {
                Optional<Limit> l = ratio(dir.resolve("cpu.cfs_quota_us"), dir.resolve("cpu.cfs_period_us"));
                if (l.isPresent()) {
                    return l;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The group path of a line of /proc/self/cgroup ("hierarchy-id:controllers:path"), matched by
     * hierarchy id (v2's "0") or by controller name (v1's "cpu"); "/" when nothing matches.
     */
    private String membership(String id, String controller) {
        try {
            for (String line : Files.readAllLines(selfCgroup)) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                boolean match = id != null ? f[0].equals(id) && f[1].isEmpty()
                        : List.of(f[1].split(",")).contains(controller);
                if (match) {
                    return f[2];
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc (not Linux) or an odd line: treat as the root group.
        }
        return "/";
    }

    /**
     * The group's directory and each one above it up to the mount. Inside a container the path
     * names a group of the host that is not mounted here: then only the mount's root counts.
     */
    private List<Path> ancestors(String path) {
        Path own = under(cgroupRoot, path);
        if (!Files.isDirectory(own)) {
            return List.of(cgroupRoot);
        }
        java.util.ArrayList<Path> all = new java.util.ArrayList<>();
        for (Path p = own; p != null && p.startsWith(cgroupRoot); p = p.getParent()) {
            all.add(p);
        }
        return all;
    }

    private static Path under(Path root, String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        return rel.isEmpty() ? root : root.resolve(rel).normalize();
    }

    /** quota/period from one file ("quota period", v2) or two (v1); empty for "max", -1 or anything unreadable. */
    private static Optional<Limit> ratio(Path quotaFile, Path periodFile) {
        try {
            if (!Files.isReadable(quotaFile)) {
                return Optional.empty();
            }
            String[] q = Files.readString(quotaFile).trim().split("\\s+");
            if (q[0].equals("max")) {
                return Optional.empty();
            }
            long quota = Long.parseLong(q[0]);
            long period = periodFile == null ? Long.parseLong(q[1]) : Long.parseLong(Files.readString(periodFile).trim());
            if (quota <= 0 || period <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Limit((double) quota / period, quotaFile.toString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
