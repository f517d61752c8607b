package dev.lethe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class VersionCacheTest {
    private static VersionCache.Key key(String sha, String item) {
        return new VersionCache.Key(sha, item);
    }

    private static void keep(VersionCache c, String sha, String item, double keep, long bytes) {
        c.get(key(sha, item), keep, () -> item, v -> bytes);
    }

    @Test
    void neverHoldsMoreThanItsBudgetAndEvictsTheLeastRecentlyUsedVersionFirst() {
        VersionCache c = new VersionCache(100);
        keep(c, "old", "a", 5, 40);
        keep(c, "new", "b", 1, 40);
        assertEquals(80, c.bytes());
        keep(c, "new", "c", 1, 40); // over budget: "old" is the least recently used version
        assertEquals(80, c.bytes());
        assertNull(c.peek(key("old", "a")));
        assertNotNull(c.peek(key("new", "b")));
        assertEquals(0, c.bytes("old"));
        assertEquals(80, c.bytes("new"));
    }

    @Test
    void withinAVersionTheEntryLeastLikelyToBeNeededGoesFirst() {
        VersionCache c = new VersionCache(100);
        keep(c, "v", "likely", 9, 40);
        keep(c, "v", "unlikely", 1, 40);
        keep(c, "v", "statistics", Double.MAX_VALUE, 40);
        assertEquals(80, c.bytes());
        assertNull(c.peek(key("v", "unlikely")));
        assertNotNull(c.peek(key("v", "likely")));
        assertNotNull(c.peek(key("v", "statistics")));
    }

    @Test
    void anEntryLargerThanTheBudgetIsReturnedButNotKept() {
        VersionCache c = new VersionCache(10);
        VersionCache.Lookup<String> l = c.get(key("v", "big"), 1, () -> "value", v -> 11);
        assertEquals("value", l.value());
        assertTrue(l.computedHere());
        assertEquals(0, c.bytes());
        assertFalse(c.isPresent(key("v", "big")));
    }

    @Test
    void callersAskingWhileItIsComputedWaitForOneComputation() throws Exception {
        VersionCache c = new VersionCache(1 << 20);
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<VersionCache.Lookup<Integer>>> lookups = new ArrayList<>();
            lookups.add(pool.submit(() -> c.get(key("v", "x"), 1, () -> {
                computations.incrementAndGet();
                started.countDown();
                await(release);
                return 42;
            }, v -> 8)));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                lookups.add(pool.submit(() -> c.get(key("v", "x"), 1, () -> {
                    computations.incrementAndGet();
                    return -1;
                }, v -> 8)));
            }
            Thread.sleep(100); // the three are waiting now, not computing
            assertTrue(c.isPresent(key("v", "x")));
            release.countDown();
            int computedHere = 0;
            for (Future<VersionCache.Lookup<Integer>> f : lookups) {
                VersionCache.Lookup<Integer> l = f.get(10, TimeUnit.SECONDS);
                assertEquals(42, l.value());
                computedHere += l.computedHere() ? 1 : 0;
            }
            assertEquals(1, computations.get());
            assertEquals(1, computedHere);
            assertEquals(8, c.bytes());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedComputationIsNotKeptAndTheNextCallerComputesAgain() {
        VersionCache c = new VersionCache(100);
        assertThrows(IllegalStateException.class, () -> c.get(key("v", "x"), 1, () -> {
            throw new IllegalStateException("capture failed");
        }, v -> 8));
        assertFalse(c.isPresent(key("v", "x")));
        VersionCache.Lookup<String> again = c.get(key("v", "x"), 1, () -> "ok", v -> 8);
        assertTrue(again.computedHere());
        assertEquals("ok", again.value());
    }

    @Test
    void droppingAVersionFreesItsBytesAndLeavesTheOthers() {
        VersionCache c = new VersionCache(1000);
        keep(c, "gone", "a", 1, 30);
        keep(c, "gone", "b", 1, 30);
        keep(c, "kept", "a", 1, 30);
        c.dropVersion("gone");
        assertEquals(30, c.bytes());
        assertNull(c.peek(key("gone", "a")));
        assertNotNull(c.peek(key("kept", "a")));
        keep(c, "gone", "late", 1, 30); // computed for a dropped version (a background job finishing late)
        assertEquals(30, c.bytes(), "a dropped version keeps nothing new");
        c.revive("gone");
        keep(c, "gone", "late", 1, 30);
        assertEquals(60, c.bytes());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
