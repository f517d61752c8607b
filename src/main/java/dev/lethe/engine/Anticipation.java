package dev.lethe.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * The engine's only background thread: it computes what the next requests will most likely
 * need, one job at a time, the most likely first, and never while a request is computing (on
 * a few cores a background forward pass beside a request slows the request more than it helps
 * the next one). Priorities are read when a job is picked, so they follow the heads and the
 * demand as they move; jobs of a retired version are dropped unrun.
 */
final class Anticipation implements AutoCloseable {
    /** Jobs that a caller waits for (a version's statistics) run before every prepared side. */
    static final double URGENT = Double.POSITIVE_INFINITY;
    private static final long POLL_MILLIS = 10;

    private record Job(String sha256, String name, DoubleSupplier priority, Runnable work, CompletableFuture<Void> done) { }

    private final List<Job> queue = new ArrayList<>(); // guarded by this
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;
    private volatile boolean busy;
    /** Runs on the worker before each job (e.g. sizing the native pools for the CPUs free now). */
    private volatile Runnable beforeEachJob = () -> { };

    Anticipation() {
        worker = new Thread(this::loop, "lethe-anticipation");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
        worker.start();
    }

    void beforeEachJob(Runnable hook) {
        this.beforeEachJob = hook;
    }

    void requestStarted() {
        requests.incrementAndGet();
    }

    void requestFinished() {
        requests.decrementAndGet();
    }

    /**
     * Queues a job unless one of that name for that version is queued already; the returned
     * future completes when it ran (exceptionally if it failed, was dropped or the worker closed).
     */
    synchronized CompletableFuture<Void> submit(String sha256, String name, DoubleSupplier priority, Runnable work) {
        for (Job j : queue) {
            if (j.sha256().equals(sha256) && j.name().equals(name)) {
                return j.done();
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the engine is closing"));
            return done;
        }
        queue.add(new Job(sha256, name, priority, work, done));
        notifyAll();
        return done;
    }

    /** Drops the queued jobs of a version nothing points at any more. */
    synchronized void retire(String sha256) {
        queue.removeIf(j -> {
            if (j.sha256().equals(sha256)) {
                j.done().completeExceptionally(new IllegalStateException("version " + sha256 + " retired"));
                return true;
            }
            return false;
        });
    }

    /** Nothing queued and nothing running. */
    synchronized boolean idle() {
        return queue.isEmpty() && !busy;
    }

    private void loop() {
        while (!closed) {
            Job job;
            try {
                awaitNoRequest();
                job = next();
                if (job == null) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                beforeEachJob.run();
                job.work().run();
                job.done().complete(null);
            } catch (RuntimeException | Error e) {
                job.done().completeExceptionally(e);
                if (!closed) {
                    System.err.println("lethe: background job '" + job.name() + "' failed (a request computes it "
                            + "itself): " + e);
                }
            } finally {
                synchronized (this) {
                    busy = false;
                    notifyAll();
                }
            }
        }
    }

    /** The most likely job, taken off the queue and marked running; null if a request started meanwhile. */
    private synchronized Job next() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (closed || requests.get() > 0) {
            return null;
        }
        Job best = null;
        double bestPriority = Double.NEGATIVE_INFINITY;
        for (Job j : queue) {
            double p = j.priority().getAsDouble();
            if (best == null || p > bestPriority) {
                best = j;
                bestPriority = p;
            }
        }
        queue.remove(best);
        busy = true;
        return best;
    }

    private void awaitNoRequest() throws InterruptedException {
        while (requests.get() > 0 && !closed) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Stops taking jobs, fails the queued ones and waits for the running one (it holds native memory). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.forEach(j -> j.done().completeExceptionally(new IllegalStateException("the engine is closing")));
            queue.clear();
            notifyAll();
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
