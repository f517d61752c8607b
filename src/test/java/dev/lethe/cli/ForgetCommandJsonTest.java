package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.baselines.Fixture;
import dev.lethe.model.ModelFiles;
import dev.lethe.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code forget --method M --json} prints the object {@code forget --json} prints, for any method.
 * The CLI reads a data directory; a tiny one (510 training images per class, so that the default
 * validation split of 500 per class fits, and 1,000 test images) keeps the runs short.
 */
class ForgetCommandJsonTest {
    @Test
    void aBaselineReportsTheSameKeysAsLethe(@TempDir Path tmp) throws Exception {
        Fixture f = Fixture.get();
        Path data = tinyDataDir(f, tmp.resolve("data"));
        JsonNode lethe = forget(f, data, tmp.resolve("lethe"), "lethe");
        JsonNode ng = forget(f, data, tmp.resolve("neggrad"), "neggrad+");
        List<String> letheKeys = keys(lethe);
        List<String> ngKeys = keys(ng);
        ngKeys.remove("settings");
        assertEquals(letheKeys, ngKeys, "same keys in the same order, plus the method's settings");
        assertEquals("neggrad+", ng.get("method").asText());
        assertTrue(ng.get("alpha_r").isNull() && ng.get("alpha_f").isNull());
        assertEquals(keys(lethe.get("after")), keys(ng.get("after")));
        assertTrue(ng.get("unlearn_seconds").asDouble() > 0);
        assertEquals(ModelFiles.readManifest(tmp.resolve("neggrad")).sha256(), ng.get("sha256").asText());
        assertEquals(List.of(Fixture.CLASS), ModelFiles.readManifest(tmp.resolve("neggrad")).forgotten());

        // The paper's update is Lethe without re-centring: its report says so at the top level.
        JsonNode paper = forget(f, data, tmp.resolve("paper"), "lethe-paper");
        assertEquals("lethe-paper", paper.get("method").asText());
        assertEquals(lethe.get("alpha_r"), paper.get("alpha_r"));
        assertEquals(lethe.get("forget_rank"), paper.get("forget_rank"));
        assertTrue(lethe.get("head_recentring").asBoolean(), "lethe re-centres the head");
        assertTrue(!paper.get("head_recentring").asBoolean(), "lethe-paper does not");
        assertEquals(paper.get("settings").get("alpha_f"), paper.get("alpha_f"));
    }

    private static JsonNode forget(Fixture f, Path data, Path out, String method) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = new CommandLine(new Main()).execute("forget", "--data", data.toString(), "--model",
                    f.modelDir.toString(), "--class", String.valueOf(Fixture.CLASS), "--method", method,
                    "--out", out.toString(), "--json");
        } finally {
            System.setOut(stdout);
        }
        String text = buf.toString(StandardCharsets.UTF_8).trim();
        assertEquals(0, rc, text);
        assertEquals(1, text.lines().count(), "exactly one JSON object: " + text);
        return ModelFiles.JSON.readTree(text);
    }

    private static Path tinyDataDir(Fixture f, Path dir) throws IOException {
        Dataset train = f.fullTrain;
        int[] pick = new int[510 * 10];
        for (int c = 0; c < 10; c++) {
            System.arraycopy(train.indicesOfClass(c), 0, pick, c * 510, 510);
        }
        Files.createDirectories(dir);
        writeIdx(dir, "train", train.select(pick));
        writeIdx(dir, "t10k", f.fullTest.select(range(1_000)));
        return dir;
    }

    /** The IDX files FashionMnist reads, uncompressed: big-endian magic and sizes, then one byte per value. */
    private static void writeIdx(Path dir, String prefix, Dataset d) throws IOException {
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
             DataOutputStream labels = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(d.size());
            images.writeInt(d.rows());
            images.writeInt(d.cols());
            for (float p : d.pixels()) {
                images.writeByte(Math.round(p * 255));
            }
            labels.writeInt(0x801);
            labels.writeInt(d.size());
            for (int l : d.labels()) {
                labels.writeByte(l);
            }
        }
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
