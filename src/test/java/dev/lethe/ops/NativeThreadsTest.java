package dev.lethe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup files as the kernel writes them, faked in a directory; the override rules; the load rule. */
class NativeThreadsTest {
    @TempDir Path dir;

    private Path write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private CpuQuota quota(String selfCgroup) throws IOException {
        return new CpuQuota(dir.resolve("sys/fs/cgroup"), write("proc/self/cgroup", selfCgroup));
    }

    @Test
    void v2ReadsTheOwnGroupsCpuMax() throws IOException {
        write("sys/fs/cgroup/kubepods/pod1/cpu.max", "150000 100000\n");
        CpuQuota.Limit l = quota("0::/kubepods/pod1\n").read().orElseThrow();
        assertEquals(1.5, l.cpus(), 1e-12);
        assertTrue(l.source().endsWith("pod1/cpu.max"), l.source());
    }

    @Test
    void v2TakesTheTightestLimitOfTheGroupAndItsParents() throws IOException {
        write("sys/fs/cgroup/kubepods/cpu.max", "100000 100000\n");
        write("sys/fs/cgroup/kubepods/pod1/cpu.max", "max 100000\n");
        assertEquals(1.0, quota("0::/kubepods/pod1\n").read().orElseThrow().cpus(), 1e-12);
    }

    @Test
    void v2UnlimitedIsNoQuota() throws IOException {
        write("sys/fs/cgroup/cpu.max", "max 100000\n");
        assertFalse(quota("0::/\n").read().isPresent());
    }

    @Test
    void v2InsideAContainerFallsBackToTheMountsRoot() throws IOException {
        // The path names a host group that the container's cgroup namespace does not show.
        write("sys/fs/cgroup/cpu.max", "200000 100000\n");
        assertEquals(2.0, quota("0::/../host/slice\n").read().orElseThrow().cpus(), 1e-12);
    }

    @Test
    void v1ReadsTheCfsQuotaOfTheCpuController() throws IOException {
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "50000\n");
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
        CpuQuota q = quota("12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n");
        assertEquals(0.5, q.read().orElseThrow().cpus(), 1e-12);
    }

    @Test
    void v1MinusOneIsNoQuota() throws IOException {
        write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
        write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
        assertFalse(quota("3:cpu:/\n").read().isPresent());
    }

    @Test
    void noCgroupFilesIsNoQuota() throws IOException {
        assertFalse(new CpuQuota(dir.resolve("absent"), dir.resolve("absent/cgroup")).read().isPresent());
    }

    private static Optional<CpuQuota.Limit> limit(double cpus) {
        return Optional.of(new CpuQuota.Limit(cpus, "cpu.max"));
    }

    @Test
    void theQuotaRoundsDownToAtLeastOneAndAtMostTheVisibleCores() {
        Properties none = new Properties();
        assertEquals(1, NativeThreads.decide(Map.of(), none, limit(1.5), 8).threads());
        assertEquals(1, NativeThreads.decide(Map.of(), none, limit(0.25), 8).threads());
        assertEquals(4, NativeThreads.decide(Map.of(), none, limit(16), 4).threads());
        NativeThreads.Decision d = NativeThreads.decide(Map.of(), none, limit(3), 8);
        assertEquals(3, d.threads());
        assertTrue(d.adaptive());
    }

    @Test
    void withoutQuotaTheVisibleCoresCount() {
        NativeThreads.Decision d = NativeThreads.decide(Map.of(), new Properties(), Optional.empty(), 2);
        assertEquals(2, d.threads());
        assertTrue(d.adaptive());
    }

    @Test
    void anExplicitOmpNumThreadsIsRespectedAndFixed() {
        NativeThreads.Decision d = NativeThreads.decide(Map.of("OMP_NUM_THREADS", "3,1"), new Properties(), limit(1), 8);
        assertEquals(3, d.threads());
        assertEquals("OMP_NUM_THREADS", d.source());
        assertFalse(d.adaptive());
    }

    @Test
    void lethesOwnSettingWinsOverOmpAndThePropertyOverTheEnvironment() {
        Map<String, String> env = Map.of("OMP_NUM_THREADS", "3", NativeThreads.ENV, "2");
        assertEquals(2, NativeThreads.decide(env, new Properties(), limit(1), 8).threads());
        Properties p = new Properties();
        p.setProperty(NativeThreads.PROPERTY, "5");
        NativeThreads.Decision d = NativeThreads.decide(env, p, limit(1), 8);
        assertEquals(5, d.threads());
        assertFalse(d.adaptive());
    }

    @Test
    void autoIgnoresOmpNumThreadsAndSizesFromTheQuota() {
        Map<String, String> env = Map.of("OMP_NUM_THREADS", "3", NativeThreads.ENV, "auto");
        NativeThreads.Decision d = NativeThreads.decide(env, new Properties(), limit(2), 8);
        assertEquals(2, d.threads());
        assertTrue(d.adaptive());
    }

    @Test
    void aBadCountIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeThreads.decide(Map.of(NativeThreads.ENV, "0"), new Properties(), Optional.empty(), 2));
        assertTrue(e.getMessage().contains(NativeThreads.ENV), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NativeThreads.decide(Map.of("OMP_NUM_THREADS", "many"), new Properties(), Optional.empty(), 2));
    }

    @Test
    void otherBusyProcessesTakeThreadsAwayButNeverTheLastOne() {
        assertEquals(2, NativeThreads.forLoad(2, 2, 0.3));   // a quiet machine: every core
        assertEquals(1, NativeThreads.forLoad(2, 2, 1.0));   // one busy process: CONTENTION.md's 1-thread row wins
        assertEquals(1, NativeThreads.forLoad(2, 2, 2.0));   // two: one thread, never zero
        assertEquals(1, NativeThreads.forLoad(2, 2, 9.0));
        assertEquals(2, NativeThreads.forLoad(2, 16, 10));   // a big node: the quota binds, not the load
    }

    @Test
    void ownTicksAreReadPastACommandNameWithSpaces() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 40 0 100 0 0";
        assertEquals(300, CpuLoad.selfTicks(stat));
    }

    @Test
    void othersBusyIsTheMachinesBusyTicksLessOurOwn() throws IOException {
        Path stat = dir.resolve("stat");
        Path self = dir.resolve("self");
        CpuLoad load = new CpuLoad(stat, self);
        Files.writeString(stat, "cpu  1000 0 0 1000 0 0 0 0 0 0\ncpu0 500 0 0 500 0 0 0 0 0 0\ncpu1 500 0 0 500 0 0 0 0 0 0\n");
        Files.writeString(self, "1 (java) S 1 1 1 0 -1 0 0 0 0 0 100 0 0 0");
        assertTrue(load.sample());
        // 200 ticks pass (100 per CPU): 150 busy, 50 of them ours -> others keep one CPU busy.
        Files.writeString(stat, "cpu  1150 0 0 1050 0 0 0 0 0 0\ncpu0 575 0 0 525 0 0 0 0 0 0\ncpu1 575 0 0 525 0 0 0 0 0 0\n");
        Files.writeString(self, "1 (java) S 1 1 1 0 -1 0 0 0 0 0 150 0 0 0");
        assertTrue(load.sample());
        double first = load.othersBusy();
        assertTrue(first > 0 && first <= 1.0 + 1e-9, "smoothed towards 1.0 from 0: " + first);
        for (int i = 2; i < 20; i++) {
            Files.writeString(stat, String.format("cpu  %d 0 0 %d 0 0 0 0 0 0%ncpu0 0 0 0 0 0 0 0 0 0 0%ncpu1 0 0 0 0 0 0 0 0 0 0%n",
                    1000 + 150 * i, 1000 + 50 * i));
            Files.writeString(self, "1 (java) S 1 1 1 0 -1 0 0 0 0 0 " + (100 + 50 * i) + " 0 0 0");
            load.sample();
        }
        assertEquals(1.0, load.othersBusy(), 0.01);
    }
}
