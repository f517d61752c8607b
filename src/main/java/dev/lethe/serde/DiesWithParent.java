package dev.lethe.serde;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of the embedded registry's child JVM: it watches the JVM that launched it and
 * exits when that one is gone (also after {@code kill -9}, when no shutdown hook of the parent
 * runs), then starts the real main class. Exiting runs the registry's own shutdown hooks, so
 * its H2 database is closed and its file lock released.
 *
 * <p>It is copied as a lone class file next to the child's classpath, so it may use the JDK only,
 * with no nested, anonymous or lambda-generated classes outside this file.
 */
public final class DiesWithParent {
    private static final long POLL_MS = 500;
    /** If shutdown hangs (a stuck hook), halt: an orphan holding the database lock is worse. */
    private static final long HALT_AFTER_MS = 30_000;

    private DiesWithParent() { }

    /** {@code args}: the parent's pid, the real main class, then the real main's arguments. */
    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("lethe: the process that launched this registry (" + parentPid + ") is gone; exiting");
            System.exit(3);
        }
        Thread watch = new Thread(() -> watch(parent.get()), "lethe-parent-watch");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    private static void watch(ProcessHandle parent) {
        while (parent.isAlive()) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("lethe: the process that launched this registry (" + parent.pid() + ") died; exiting");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            Runtime.getRuntime().halt(4);
        }, "lethe-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }
}
