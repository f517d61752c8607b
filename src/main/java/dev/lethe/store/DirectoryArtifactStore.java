package dev.lethe.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Artifacts as files under a root directory, at {@code root/sha256/ab/abcdef...}. A file is
 * written to a temporary name, forced to disk and renamed into place, so a reader (or a crash)
 * never sees half an artifact: a file at an artifact's path is always whole.
 */
public final class DirectoryArtifactStore implements ArtifactStore {
    private final Path root;

    public DirectoryArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public ArtifactRef put(byte[] bytes) {
        String sha = ContentAddress.sha256(bytes);
        Path target = pathOf(sha);
        try {
            if (!holdsIntact(target, sha)) {
                write(target, bytes);
            }
        } catch (IOException e) {
            throw new ArtifactStoreException("cannot store artifact " + sha + " under " + root, e);
        }
        return new ArtifactRef(uriOf(sha), sha, bytes.length);
    }

    @Override
    public byte[] get(String uriOrSha256) {
        String sha = ContentAddress.shaOf(uriOrSha256, this::uriOf);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pathOf(sha));
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(uriOrSha256);
        } catch (IOException e) {
            throw new ArtifactStoreException("cannot read artifact " + uriOf(sha), e);
        }
        ContentAddress.verify(uriOf(sha), sha, bytes);
        return bytes;
    }

    @Override
    public boolean exists(String uriOrSha256) {
        return Files.isRegularFile(pathOf(ContentAddress.shaOf(uriOrSha256, this::uriOf)));
    }

    @Override
    public boolean delete(String uriOrSha256) {
        Path target = pathOf(ContentAddress.shaOf(uriOrSha256, this::uriOf));
        try {
            return Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new ArtifactStoreException("cannot delete artifact " + target.toUri(), e);
        }
    }

    public Path root() {
        return root;
    }

    Path pathOf(String sha) {
        return root.resolve(ContentAddress.key(sha));
    }

    private String uriOf(String sha) {
        return pathOf(sha).toUri().toString();
    }

    /**
     * A file at the path normally holds exactly these bytes (names come from content, files
     * appear whole), so a repeated put is a no-op. It is checked all the same, because a
     * repeated put is rare (a retry) and is the one chance to repair a damaged copy.
     */
    private static boolean holdsIntact(Path target, String sha) throws IOException {
        try {
            return ContentAddress.sha256(Files.readAllBytes(target)).equals(sha);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(target.getParent());
        // The temporary file sits next to the target: a rename within one file system is atomic.
        Path tmp = Files.createTempFile(dir, ".put-", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true); // on disk before its name is: a crash leaves no empty artifact
            }
            moveAtomically(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            // Two writers of the same bytes may race here; either rename wins, with equal content.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + target + " cannot rename atomically", e);
        }
    }

    /** Makes the rename itself durable: the artifact is referenced by a Kafka commit right after. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the data itself is already forced.
        }
    }
}
