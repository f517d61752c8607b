package dev.lethe.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link ArtifactStore} promises; each implementation's test extends this. */
abstract class ArtifactStoreContract {
    // FIPS 180-2 test vector: sha256("abc")
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /** A fresh, empty store. */
    abstract ArtifactStore store();

    /** Replaces the stored object behind the store's back, as damage or tampering would. */
    abstract void overwriteBehindTheStoresBack(ArtifactRef ref, byte[] bytes) throws Exception;

    /** How many objects the store's backing holds. */
    abstract long objectCount() throws Exception;

    @Test
    void putReturnsTheContentAddressAndGetReturnsTheBytes() {
        ArtifactStore store = store();
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        ArtifactRef ref = store.put(abc);
        assertEquals(ABC_SHA256, ref.sha256());
        assertEquals(3, ref.size());
        assertTrue(ref.uri().endsWith("sha256/ba/" + ABC_SHA256), ref.uri());
        assertArrayEquals(abc, store.get(ref.uri()));
        assertArrayEquals(abc, store.get(ref.sha256()));
        assertArrayEquals(abc, store.get(ref.sha256().toUpperCase()));
        assertTrue(store.exists(ref.uri()) && store.exists(ref.sha256()));
    }

    @Test
    void aLargeArtifactRoundTrips() {
        byte[] weights = new byte[3 << 20];
        new Random(6).nextBytes(weights);
        ArtifactStore store = store();
        assertArrayEquals(weights, store.get(store.put(weights).uri()));
    }

    @Test
    void anEmptyArtifactRoundTrips() {
        ArtifactStore store = store();
        ArtifactRef ref = store.put(new byte[0]);
        assertEquals(0, ref.size());
        assertArrayEquals(new byte[0], store.get(ref.uri()));
    }

    @Test
    void puttingTheSameBytesAgainLandsInTheSamePlace() throws Exception {
        ArtifactStore store = store();
        byte[] bytes = "weights v3".getBytes(StandardCharsets.UTF_8);
        ArtifactRef first = store.put(bytes);
        ArtifactRef again = store.put(bytes.clone());
        assertEquals(first, again);
        assertEquals(1, objectCount());
        ArtifactRef other = store.put("weights v4".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(first.uri(), other.uri());
        assertEquals(2, objectCount());
    }

    @Test
    void aMissingArtifactIsReportedAsMissing() {
        ArtifactStore store = store();
        assertFalse(store.exists(ABC_SHA256));
        ArtifactNotFoundException e = assertThrows(ArtifactNotFoundException.class, () -> store.get(ABC_SHA256));
        assertTrue(e.getMessage().contains(ABC_SHA256), e.getMessage());
    }

    @Test
    void aFlippedByteIsDetectedOnReadAndRepairedByTheNextPut() throws Exception {
        ArtifactStore store = store();
        byte[] bytes = "model weights, 1.2 MB in real life".getBytes(StandardCharsets.UTF_8);
        ArtifactRef ref = store.put(bytes);
        byte[] damaged = bytes.clone();
        damaged[7] ^= 0x01;
        overwriteBehindTheStoresBack(ref, damaged);

        ArtifactCorruptException e = assertThrows(ArtifactCorruptException.class, () -> store.get(ref.uri()));
        assertTrue(e.getMessage().contains(ref.sha256()) && e.getMessage().contains(sha256(damaged)), e.getMessage());
        assertEquals(ref, store.put(bytes));
        assertArrayEquals(bytes, store.get(ref.uri()));
    }

    @Test
    void referencesOutsideTheStoreAreRefused() {
        ArtifactStore store = store();
        ArtifactRef ref = store.put("abc".getBytes(StandardCharsets.US_ASCII));
        String elsewhere = ref.uri().replace("sha256/ba/", "sha256/ba/../../etc/");
        assertThrows(IllegalArgumentException.class, () -> store.get(elsewhere));
        assertThrows(IllegalArgumentException.class, () -> store.get("file:///etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> store.get("not-a-hash"));
    }

    private static String sha256(byte[] bytes) {
        return ContentAddress.sha256(bytes);
    }
}
