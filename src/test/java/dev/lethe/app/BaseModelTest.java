package dev.lethe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.events.ModelRegistration;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.store.DirectoryArtifactStore;
import dev.lethe.lineage.Versions;
import dev.lethe.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tuning stored in a model directory reaches the processor through the registration event. */
class BaseModelTest {

    @Test
    void tunedAlphasAndRanksTravelInTheRegistration(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.write(dir.resolve(ModelFiles.WEIGHTS), new byte[] {1, 2, 3});
        Manifest m = new Manifest(Manifest.FORMAT, "vgg", List.of("a", "b", "c"), null, null, null,
                Map.of("0", new Manifest.Alphas(30, 3, "validation grid search", 1),
                        "2", new Manifest.Alphas(100, 10, "validation grid search"),
                        "default", new Manifest.Alphas(100, 10, "best mean", 4)),
                null, null, "test");
        ModelFiles.writeManifest(dir, m);

        ModelRegistration reg = BaseModel.register("m", dir, new DirectoryArtifactStore(tmp.resolve("store")), tmp);
        assertEquals(1, reg.getClassAlphas().get("0").getForgetRank());
        assertNull(reg.getClassAlphas().get("2").getForgetRank(), "tuned before ranks: none");
        assertEquals(4, reg.getDefaultForgetRank());

        var model = Versions.model(reg);
        assertEquals(new Manifest.Alphas(30, 3, "registration, tuned for class 0", 1), model.alphas().perClass().get(0));
        assertEquals(4, model.alphas().defaults().forgetRank());
    }

    @Test
    void theRegistrationNamesTheDataItsSamplesComeFrom(@TempDir Path tmp) throws Exception {
        Path data = Prerequisites.fashionMnist();
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.write(dir.resolve(ModelFiles.WEIGHTS), new byte[] {1, 2, 3});
        ModelFiles.writeManifest(dir, new Manifest(Manifest.FORMAT, "vgg", FashionMnist.LABELS, null, null, null,
                null, null, null, "test"));
        ModelRegistration reg = BaseModel.register("m", dir, new DirectoryArtifactStore(tmp.resolve("store")), data);
        assertEquals(Datasets.fingerprint(FashionMnist.spec(data.toAbsolutePath())), reg.getSampleBankSha256());
        assertEquals(64, reg.getSampleBankSha256().length());
        assertNull(BaseModel.register("m", dir, new DirectoryArtifactStore(tmp.resolve("store")), tmp)
                .getSampleBankSha256(), "no dataset there: nothing to name");
    }
}
