package dev.lethe.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM (and Ctrl-C) as a request to stop, not an exit. The JVM's own handling runs shutdown
 * hooks and exits 143 while the main thread may still be closing; here the signal only opens a
 * latch, the main thread closes everything in order and returns its own exit status. A watchdog
 * bounds the wait: past {@code bound} the process halts with status 1 (what a request left in
 * flight then had in its transaction aborts, and the next owner of its task redoes it).
 */
public final class Termination {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicBoolean watching = new AtomicBoolean();
    private final Duration bound;
    private final Runnable onRequest;

    private Termination(Duration bound, Runnable onRequest) {
        this.bound = bound;
        this.onRequest = onRequest;
    }

    /** Handles TERM and INT from now on; {@code onRequest} runs once, on the first signal. */
    public static Termination install(Duration bound, Runnable onRequest) {
        Termination t = new Termination(bound, onRequest);
        Signal.handle(new Signal("TERM"), s -> t.request("SIG" + s.getName()));
        Signal.handle(new Signal("INT"), s -> t.request("SIG" + s.getName()));
        return t;
    }

    /** Asks for a stop as a signal would (tests, and whoever else wants this process to stop). */
    public void request(String why) {
        if (!watching.compareAndSet(false, true)) {
            return;
        }
        System.err.printf("lethe: %s: stopping (at most %d s)%n", why, bound.toSeconds());
        onRequest.run();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.printf("lethe: not stopped cleanly within %d s (lethe.shutdown.seconds); exiting%n",
                    bound.toSeconds());
            Runtime.getRuntime().halt(1);
        }, "lethe-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        requested.countDown();
    }

    public void await() throws InterruptedException {
        requested.await();
    }

    /** The time left to close in, a little under the bound so that a clean close beats the watchdog. */
    public Duration closeTimeout() {
        return bound.minusSeconds(Math.min(5, bound.toSeconds() / 10));
    }
}
