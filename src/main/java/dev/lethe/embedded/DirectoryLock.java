package dev.lethe.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS file lock on a file in a directory: one owner per directory. The operating
 * system drops the lock when its process dies, so a crash leaves nothing to clean up; the file
 * itself stays, since deleting a lock file races with the next process opening it.
 *
 * <p>Files locked by this JVM are also kept in a set and checked first: on Linux, closing any
 * channel to the file drops this process's lock on it, so a second attempt from the same JVM
 * must never open the file.
 */
final class DirectoryLock implements AutoCloseable {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private DirectoryLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The lock on {@code dir/fileName}, or empty while another owner, here or elsewhere, holds it. */
    static Optional<DirectoryLock> tryAcquire(Path dir, String fileName) throws IOException {
        Path file = dir.toRealPath().resolve(fileName);
        if (!HELD_HERE.add(file)) {
            return Optional.empty();
        }
        try {
            Optional<DirectoryLock> lock = lock(file);
            if (lock.isEmpty()) {
                HELD_HERE.remove(file);
            }
            return lock;
        } catch (RuntimeException | IOException e) {
            HELD_HERE.remove(file);
            throw e;
        }
    }

    private static Optional<DirectoryLock> lock(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean locked = false;
        try {
            locked = channel.tryLock() != null;
        } catch (OverlappingFileLockException impossible) {
            // HELD_HERE rules out a second lock from this JVM; treat it as taken all the same
        } finally {
            if (!locked) {
                channel.close();
            }
        }
        return locked ? Optional.of(new DirectoryLock(file, channel)) : Optional.empty();
    }

    @Override
    public void close() {
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        } finally {
            HELD_HERE.remove(file);
        }
    }
}
