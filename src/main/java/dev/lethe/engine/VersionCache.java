package dev.lethe.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What requests on a model version need, computed once and kept within a byte budget.
 *
 * <p>Whoever asks for a missing entry first computes it; whoever asks while it is being computed
 * waits for that computation instead of starting a second one (a request that arrives while the
 * background prepares its very entry waits less than computing it would take, since that
 * computation started earlier). A failed computation is not kept: the next caller tries again.
 *
 * <p>When the entries exceed {@code maxBytes}, those least likely to be needed go first: entries
 * of the version used least recently, and within a version those with the lowest {@code keep}
 * (the caller's estimate of how likely a request needs it). Entries still being computed are
 * never evicted. An entry larger than the whole budget is handed to its caller and not kept.
 */
public final class VersionCache {
    /** One entry: the model version (weights sha256) and what of it (a key that names every parameter). */
    public record Key(String sha256, String item) { }

    /** A value, and whether this caller computed it or found it (possibly after waiting). */
    public record Lookup<T>(T value, boolean computedHere, double waitedSeconds) { }

    private static final class Entry {
        final CompletableFuture<Object> value = new CompletableFuture<>();
        final double keep;
        long bytes = -1; // -1 while computing
        long lastUse;

        Entry(double keep) {
            this.keep = keep;
        }
    }

    private final long maxBytes;
    private final Map<Key, Entry> entries = new HashMap<>(); // guarded by this
    private final Map<String, Long> versionUse = new HashMap<>(); // guarded by this
    /** Versions dropped and not used since: what is computed for them is handed out, not kept. */
    private final java.util.Set<String> dropped = new java.util.HashSet<>(); // guarded by this
    private long bytes; // guarded by this
    private long clock; // guarded by this

    public VersionCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the cache budget must be >= 0 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The entry for {@code key}: found, waited for, or computed here by {@code compute} and then
     * kept as {@code size(value)} bytes.
     */
    @SuppressWarnings("unchecked")
    public <T> Lookup<T> get(Key key, double keep, Supplier<T> compute, ToLongFunction<T> size) {
        long start = System.nanoTime();
        while (true) {
            Entry e;
            boolean mine;
            synchronized (this) {
                e = entries.get(key);
                mine = e == null;
                if (mine) {
                    e = new Entry(keep);
                    entries.put(key, e);
                }
                touch(key, e);
            }
            if (mine) {
                return new Lookup<>(computeInto(key, e, compute, size), true, 0);
            }
            try {
                T v = (T) e.value.get();
                return new Lookup<>(v, false, (System.nanoTime() - start) / 1e9);
            } catch (ExecutionException failed) {
                // the other caller's computation failed and was removed: try (and fail) ourselves
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + key, interrupted);
            }
        }
    }

    private <T> T computeInto(Key key, Entry e, Supplier<T> compute, ToLongFunction<T> size) {
        T v;
        try {
            v = compute.get();
        } catch (RuntimeException | Error failure) {
            synchronized (this) {
                entries.remove(key, e);
            }
            e.value.completeExceptionally(failure);
            throw failure;
        }
        synchronized (this) {
            if (dropped.contains(key.sha256())) {
                entries.remove(key, e);
            } else if (entries.get(key) == e) {
                e.bytes = size.applyAsLong(v);
                bytes += e.bytes;
                evictOver();
            }
        }
        e.value.complete(v);
        return v;
    }

    /** The value if it is ready, else null (never waits, never computes). */
    @SuppressWarnings("unchecked")
    public synchronized <T> T peek(Key key) {
        Entry e = entries.get(key);
        if (e == null || !e.value.isDone() || e.value.isCompletedExceptionally()) {
            return null;
        }
        touch(key, e);
        return (T) e.value.join();
    }

    /** Whether the entry is ready or being computed: a request asking for it will not start it. */
    public synchronized boolean isPresent(Key key) {
        return entries.containsKey(key);
    }

    /** Keeps a value computed elsewhere (e.g. statistics read from the store), unless one is present. */
    public <T> void put(Key key, double keep, T value, long size) {
        get(key, keep, () -> value, v -> size);
    }

    /** Forgets every ready entry of a version (a superseded one); entries being computed finish unkept. */
    public synchronized void dropVersion(String sha256) {
        entries.entrySet().removeIf(en -> {
            if (!en.getKey().sha256().equals(sha256)) {
                return false;
            }
            if (en.getValue().bytes >= 0) {
                bytes -= en.getValue().bytes;
            }
            return true;
        });
        versionUse.remove(sha256);
        dropped.add(sha256);
    }

    /** Keeps entries of a version again (one dropped earlier that a request or a registration uses anew). */
    public synchronized void revive(String sha256) {
        dropped.remove(sha256);
    }

    /** Lets go of every ready entry (the engine closes): their native memory is freed with them. */
    public synchronized void clear() {
        entries.values().removeIf(e -> e.bytes >= 0);
        bytes = 0;
        versionUse.clear();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long bytes(String sha256) {
        return entries.entrySet().stream().filter(en -> en.getKey().sha256().equals(sha256))
                .mapToLong(en -> Math.max(0, en.getValue().bytes)).sum();
    }

    private void touch(Key key, Entry e) {
        e.lastUse = ++clock;
        versionUse.put(key.sha256(), clock);
    }

    private void evictOver() {
        if (bytes <= maxBytes) {
            return;
        }
        List<Map.Entry<Key, Entry>> ready = new ArrayList<>();
        for (Map.Entry<Key, Entry> en : entries.entrySet()) {
            if (en.getValue().bytes >= 0) {
                ready.add(en);
            }
        }
        ready.sort(Comparator.<Map.Entry<Key, Entry>>comparingLong(en -> versionUse.getOrDefault(en.getKey().sha256(), 0L))
                .thenComparingDouble(en -> en.getValue().keep)
                .thenComparingLong(en -> en.getValue().lastUse));
        for (Map.Entry<Key, Entry> victim : ready) {
            if (bytes <= maxBytes) {
                break;
            }
            entries.remove(victim.getKey());
            bytes -= victim.getValue().bytes;
        }
    }
}
