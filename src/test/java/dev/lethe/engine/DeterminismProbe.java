package dev.lethe.engine;

import dev.lethe.data.FashionMnist;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.store.DirectoryArtifactStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one forgetting request on a stored model and prints the new weights' sha256: the
 * determinism test runs it in fresh JVMs and compares. Args: store dir, artifact uri, sha256,
 * architecture, data dir, warm|cold.
 */
public final class DeterminismProbe {
    private DeterminismProbe() { }

    public static void main(String[] args) {
        System.out.println(run(Path.of(args[0]), args[1], args[2], args[3], args[4], args[5].equals("warm")));
    }

    static String run(Path store, String uri, String sha, String arch, String data, boolean warm) {
        try (UnlearningService s = new UnlearningService(new DirectoryArtifactStore(store), Sampling.DEFAULT)) {
            UnlearningService.Model model = new UnlearningService.Model("m", arch, FashionMnist.LABELS, data,
                    new AlphaTable(new Manifest.Alphas(100, 3, "test"), Map.of()));
            UnlearningService.Head head = new UnlearningService.Head(0, sha, uri, Set.of());
            if (warm) {
                s.precompute(model, head);
            }
            return s.forget(model, head, Set.of(6), null, 1234L).artifact().sha256();
        }
    }

    static List<String> argsFor(Path store, String uri, String sha, String arch, String data, boolean warm) {
        return List.of(store.toString(), uri, sha, arch, data, warm ? "warm" : "cold");
    }
}
