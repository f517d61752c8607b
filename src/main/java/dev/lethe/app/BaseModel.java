package dev.lethe.app;

import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.events.AlphaPair;
import dev.lethe.events.ModelRegistration;
import dev.lethe.model.AlphaTable;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.ArtifactRef;
import dev.lethe.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a model directory into a registration: weights into the artifact store, tuned alphas and
 * the model's own data spec ({@link ModelFiles#DATA}, if it has one) into the event.
 */
public final class BaseModel {
    private BaseModel() { }

    public static ModelRegistration register(String modelId, Path modelDir, ArtifactStore store, Path dataDir)
            throws IOException {
        Manifest m = ModelFiles.readManifest(modelDir);
        byte[] weights = Files.readAllBytes(modelDir.resolve(ModelFiles.WEIGHTS));
        ArtifactRef ref = store.put(weights);
        if (m.sha256() != null && !m.sha256().equals(ref.sha256())) {
            throw new IOException(modelDir + ": weights do not match the manifest's sha256");
        }
        AlphaTable tuned = m.alphaTable();
        Manifest.Alphas defaults = tuned.defaultPair();
        Map<String, AlphaPair> perClass = new TreeMap<>();
        tuned.perClass().forEach((c, a) -> perClass.put(String.valueOf(c), AlphaPair.newBuilder()
                .setAlphaR(a.alphaR()).setAlphaF(a.alphaF()).setForgetRank(a.forgetRank()).build()));
        // A model on data of its own carries its spec; one without learns from Fashion-MNIST in dataDir.
        Optional<DataSpec> own = ModelFiles.readData(modelDir);
        DataSpec data = own.orElse(FashionMnist.spec(dataDir.toAbsolutePath()));
        return ModelRegistration.newBuilder().setModelId(modelId).setArtifactUri(ref.uri()).setSha256(ref.sha256())
                .setFormat("safetensors").setArchitecture(architecture(m)).setClassLabels(m.labels())
                .setSampleBankUri(data.location()).setSampleBankSha256(fingerprint(data))
                .setData(own.map(DataSpec::toJson).orElse(null))
                .setDefaultAlphaR(defaults.alphaR()).setDefaultAlphaF(defaults.alphaF())
                .setDefaultForgetRank(defaults.forgetRank())
                .setClassAlphas(new java.util.HashMap<>(perClass))
                .setRegisteredAt(Instant.now()).build();
    }

    /** A shipped architecture by its name; one of the user's own by its whole description, which the processor builds. */
    private static String architecture(Manifest m) {
        return m.architectureSpec() != null ? m.architectureSpec().toString() : m.architecture();
    }

    /**
     * The data's fingerprint (what {@code bin/lethe data check} prints), so that the lineage says
     * which samples every version was computed from; null where the directory holds no readable
     * dataset, which the processor then refuses at registration with the reason.
     */
    private static String fingerprint(DataSpec data) {
        try {
            return Datasets.fingerprint(data);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
