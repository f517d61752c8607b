package dev.lethe.ops;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sizes the native thread pools (PyTorch's intra-op threads, ND4J's and its OpenBLAS's) from
 * the CPUs this process may use, and shrinks them while other processes keep those CPUs busy.
 *
 * <p>Why: every parallel region ends at a barrier, so with as many busy threads as cores, one
 * thread descheduled by another process stalls all the others; fewer threads then lose less
 * than full ones, while on a quiet machine more threads win (the figures: docs/operations.md,
 * "Native threads and CPU contention").
 * Thread counts do not change Lethe's results: the per-output reductions do not split across
 * threads (checked: same sha256 with 1 and 2 threads), so adapting is safe for replay.
 *
 * <p>The rule, first match wins:
 * <ol>
 *   <li>{@code LETHE_NATIVE_THREADS=N} (or {@code -Dlethe.native.threads=N}): N threads, fixed;</li>
 *   <li>an explicit {@code OMP_NUM_THREADS}: that many, fixed;</li>
 *   <li>the cgroup's CPU quota (v2 {@code cpu.max}, else v1 CFS), rounded down, at least 1;</li>
 *   <li>{@link Runtime#availableProcessors()}.</li>
 * </ol>
 * In the last two cases the count also follows the load: a computation starts with
 * {@code min(base, round(cpus - busy with others))} threads, at least one.
 * {@code LETHE_NATIVE_THREADS=auto} asks for rules 3-4 even where {@code OMP_NUM_THREADS} is set.
 */
public final class NativeThreads {
    public static final String ENV = "LETHE_NATIVE_THREADS";
    public static final String PROPERTY = "lethe.native.threads";
    static final String DJL_THREADS = "ai.djl.pytorch.num_threads";
    static final String DJL_INTEROP = "ai.djl.pytorch.num_interop_threads";

    /** The base count, where it came from, and whether it shrinks under load. */
    public record Decision(int threads, String source, boolean adaptive) {
        public String describe() {
            return threads + " (" + source + (adaptive ? "; fewer while other processes keep the CPUs busy" : "") + ")";
        }
    }

    private static Decision decision;
    private static CpuLoad load;
    private static volatile int nd4jThreads;
    private static final ThreadLocal<Integer> TORCH_THREADS = new ThreadLocal<>();

    private NativeThreads() { }

    /** The rule above, as a pure function of its inputs. */
    static Decision decide(Map<String, String> env, Properties props, Optional<CpuQuota.Limit> quota, int available) {
        String key = props.getProperty(PROPERTY) != null ? "-D" + PROPERTY : ENV;
        String own = props.getProperty(PROPERTY, env.get(ENV));
        boolean auto = own != null && own.trim().equalsIgnoreCase("auto");
        if (own != null && !own.isBlank() && !auto) {
            return new Decision(positive(own, key), key, false);
        }
        String omp = env.get("OMP_NUM_THREADS");
        if (omp != null && !omp.isBlank() && !auto) {
            // OpenMP allows a list per nesting level ("4,2"); the outer level is the pool's size.
            return new Decision(positive(omp.split(",")[0], "OMP_NUM_THREADS"), "OMP_NUM_THREADS", false);
        }
        if (quota.isPresent()) {
            int n = (int) Math.max(1, Math.min(available, Math.floor(quota.get().cpus())));
            return new Decision(n, String.format("cgroup quota %.2f CPUs, %s", quota.get().cpus(), quota.get().source()), true);
        }
        return new Decision(Math.max(1, available), "available processors", true);
    }

    /** Threads for a computation that starts now: the base, less the CPUs other processes keep busy, at least 1. */
    static int forLoad(int base, int cpus, double othersBusy) {
        long free = Math.round(cpus - othersBusy);
        return (int) Math.max(1, Math.min(base, free));
    }

    private static int positive(String value, String name) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(name + " must be a positive number of threads, not '" + value + "'");
    }

    /**
     * Decides once per JVM and applies it: DJL's properties (read when PyTorch loads, so this
     * must come first), ND4J and OpenBLAS, and, when adaptive, the load sampler. Idempotent.
     */
    public static synchronized Decision configure() {
        if (decision != null) {
            return decision;
        }
        decision = decide(System.getenv(), System.getProperties(), CpuQuota.system().read(),
                Runtime.getRuntime().availableProcessors());
        if (decision.adaptive()) {
            load = CpuLoad.startSampling();
        }
        // The count for now, which is also every thread's default: a one-shot command (forget,
        // train) computes on the thread that starts it and is never resized.
        int now = current();
        if (System.getProperty(DJL_THREADS) == null) {
            System.setProperty(DJL_THREADS, Integer.toString(now));
        }
        // Lethe runs no TorchScript fork, the only user of PyTorch's inter-op pool: one thread, not one per core.
        if (System.getProperty(DJL_INTEROP) == null) {
            System.setProperty(DJL_INTEROP, "1");
        }
        setNd4j(now);
        return decision;
    }

    /** The threads a computation starting now on this thread should use (the base when fixed). */
    public static int current() {
        Decision d = configure();
        CpuLoad load = NativeThreads.load;
        if (!d.adaptive() || load == null) {
            return d.threads();
        }
        return forLoad(d.threads(), Runtime.getRuntime().availableProcessors(), load.othersBusy());
    }

    /**
     * Sizes the pools for a computation that starts now on the calling thread. PyTorch keeps
     * its count per thread (OpenMP's), so this must run on the thread that computes.
     */
    public static int resizeForThisThread() {
        int n = current();
        Integer torch = TORCH_THREADS.get();
        if (torch == null || torch != n) {
            Engine.getEngine("PyTorch"); // loads the natives, once, before the JNI call
            JniUtils.setNumThreads(n);
            TORCH_THREADS.set(n);
        }
        if (nd4jThreads != n) {
            setNd4j(n);
        }
        return n;
    }

    private static void setNd4j(int n) {
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        nd4jThreads = n;
    }

    /**
     * {@code target} behind a proxy of {@code type} that calls {@link #resizeForThisThread()}
     * before every method. A proxy rather than a hand-written decorator: it forwards methods that
     * the interface gains later, defaults included, instead of silently running their defaults.
     */
    public static <T> T resizingEachCall(Class<T> type, T target) {
        configure();
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                resizeForThisThread();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return type.cast(proxy);
    }
}
