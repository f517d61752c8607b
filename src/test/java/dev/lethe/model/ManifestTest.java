package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** manifest.json keeps what tuning chose, including the forget rank, and old manifests still read. */
class ManifestTest {

    @Test
    void tunedAlphasKeepTheirForgetRankThroughJson() throws Exception {
        Manifest m = new Manifest(Manifest.FORMAT, "vgg", List.of("a", "b", "c"), null, null, "00",
                Map.of("0", new Manifest.Alphas(30, 3, "validation grid search", 1),
                        "default", new Manifest.Alphas(100, 3, "paper")), null, null, "test");
        String json = ModelFiles.JSON.writeValueAsString(m);
        assertEquals(1, ModelFiles.JSON.readTree(json).at("/alphas/0/forget_rank").asInt(), json);
        Manifest back = ModelFiles.JSON.readValue(json, Manifest.class);
        assertEquals(1, back.alphas().get("0").forgetRank());
        assertNull(back.alphas().get("default").forgetRank());
        assertFalse(ModelFiles.JSON.writeValueAsString(back.alphas().get("default")).contains("forget_rank"),
                "an untuned rank is left out rather than written as null");
    }

    @Test
    void manifestsWrittenBeforeRanksReadWithNone() throws Exception {
        String old = "{\"format\":\"lethe-model/1\",\"architecture\":\"vgg\",\"labels\":[\"a\",\"b\"],"
                + "\"alphas\":{\"1\":{\"alpha_r\":100.0,\"alpha_f\":1.0,\"selected_by\":\"validation grid search\"}}}";
        Manifest m = ModelFiles.JSON.readValue(old, Manifest.class);
        assertEquals(100.0, m.alphas().get("1").alphaR());
        assertNull(m.alphas().get("1").forgetRank());
    }

    @Test
    void theExampleInTheDocsIsAManifestLetheReads() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/architectures.md"));
        String section = doc.substring(doc.indexOf("## The model directory"));
        String json = section.substring(section.indexOf("```json") + 7, section.indexOf("```", section.indexOf("```json") + 7));
        Manifest m = ModelFiles.JSON.readValue(json, Manifest.class);
        assertEquals(Manifest.FORMAT, m.format());
        assertEquals(10, m.labels().size());
        assertEquals(1, m.alphas().get("0").forgetRank());
        assertEquals(8, m.recipe().epochs());
    }

    @Test
    void aNegativeRankIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Manifest.Alphas(100, 3, "x", -1));
    }
}
