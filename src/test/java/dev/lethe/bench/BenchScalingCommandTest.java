package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.model.ModelFiles;
import dev.lethe.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny {@code bench scaling} run (a few images, one repeat) writes every file with the keys documented. */
class BenchScalingCommandTest {

    @Test
    void aTinyRunWritesMarkdownJsonAndPlots(@TempDir Path tmp) throws Exception {
        Path data = Prerequisites.fashionMnist();
        Path md = tmp.resolve("docs/scaling.md");
        String stdout = run("scaling", "--data", data.toString(), "--forget-samples", "8,16",
                "--forget-per-request", "8",
                "--widths", "1,2", "--repeats", "1", "--retain-per-class", "4", "--positions", "4",
                "--out", md.toString(), "--json");
        assertEquals(1, stdout.lines().count(), "one JSON object: " + stdout);
        JsonNode summary = ModelFiles.JSON.readTree(stdout);
        assertEquals(List.of("json", "seconds_by_forget_samples", "seconds_by_width", "cold_over_warm",
                "dense_over_low_rank_by_width"), keys(summary));

        JsonNode doc = ModelFiles.JSON.readTree(tmp.resolve("docs/scaling.json").toFile());
        assertEquals(List.of("setup", "forget_samples", "widths", "retain_cache", "updates"), keys(doc));
        assertEquals(List.of(8, 16), ints(doc.get("forget_samples"), "forget_samples"));
        assertEquals(List.of(1, 2), ints(doc.get("widths"), "width_multiplier"));
        JsonNode first = doc.get("forget_samples").get(0);
        assertEquals(List.of("forget_samples", "runs", "median", "relative_to_baseline"), keys(first));
        assertEquals(List.of("retain_capture_s", "forget_capture_s", "eigen_s", "update_s", "total_s"),
                keys(first.get("median")));
        assertEquals(1.0, first.get("relative_to_baseline").asDouble(), 1e-12);
        assertTrue(doc.get("retain_cache").get("cold_over_warm").asDouble() > 0);
        assertTrue(doc.get("widths").get(1).get("largest_input_dim").asInt() == 1152);

        JsonNode updates = doc.get("updates");
        assertEquals(14, updates.size(), "7 layers at each of 2 widths");
        for (JsonNode u : updates) {
            assertTrue(u.get("max_abs_diff").asDouble() < 1e-9, "dense and low-rank disagree: " + u);
            assertTrue(u.get("dense_ms").asDouble() > 0 && u.get("low_rank_ms").asDouble() > 0, u.toString());
        }

        String text = Files.readString(md);
        assertTrue(text.contains("Do not edit by hand") && text.contains("randomly initialised"), text);
        for (String png : List.of("forget-samples", "widths", "cache", "updates")) {
            Path file = tmp.resolve("docs/scaling-" + png + ".png");
            assertTrue(Files.size(file) > 1000, file + " written");
            assertTrue(text.contains("](scaling-" + png + ".png)"), "the markdown links " + png);
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = new CommandLine(new BenchCommand()).execute(args);
        } finally {
            System.setOut(stdout);
        }
        String text = buf.toString(StandardCharsets.UTF_8).trim();
        assertEquals(0, rc, text);
        return text;
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<Integer> ints(JsonNode array, String field) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asInt()));
        return out;
    }
}
