package dev.lethe.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryArtifactStoreTest extends ArtifactStoreContract {
    @TempDir
    Path root;

    @Override
    ArtifactStore store() {
        return new DirectoryArtifactStore(root);
    }

    @Override
    void overwriteBehindTheStoresBack(ArtifactRef ref, byte[] bytes) throws Exception {
        Files.write(Path.of(java.net.URI.create(ref.uri())), bytes);
    }

    @Override
    long objectCount() throws Exception {
        return files().size();
    }

    @Test
    void layoutIsShaFanOutAndNoTemporaryFileStays() throws Exception {
        ArtifactRef ref = store().put("abc".getBytes(StandardCharsets.US_ASCII));
        Path expected = root.resolve("sha256/ba/" + ref.sha256());
        assertEquals(List.of(expected), files());
        assertEquals(expected.toUri().toString(), ref.uri());
    }

    @Test
    void aRepeatedPutDoesNotRewriteTheFile() throws Exception {
        DirectoryArtifactStore store = new DirectoryArtifactStore(root);
        byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
        Path file = store.pathOf(store.put(bytes).sha256());
        FileTime past = FileTime.fromMillis(0);
        Files.setLastModifiedTime(file, past);
        store.put(bytes);
        assertEquals(past, Files.getLastModifiedTime(file), "a rewrite would have a fresh mtime");
        assertTrue(Files.isRegularFile(file));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
