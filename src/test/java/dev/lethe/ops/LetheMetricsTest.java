package dev.lethe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.events.AuditDecision;
import io.micrometer.core.instrument.Gauge;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lethe's own series under their documented names, moving by what is reported; secret tags masked. */
class LetheMetricsTest {

    @Test
    void reportsMoveTheDocumentedSeries() {
        Map<String, Double> before = PrometheusText.parse(LetheMetrics.scrape());
        LetheMetrics.decided(AuditDecision.ACCEPTED);
        LetheMetrics.decided(AuditDecision.REJECTED);
        LetheMetrics.computed("unit-model", 2.5, false);
        LetheMetrics.versionEmitted("unit-model");
        LetheMetrics.deadLettered();
        Map<String, Double> after = PrometheusText.parse(LetheMetrics.scrape());
        assertEquals(1, delta(before, after, "lethe_requests_total", "decision=\"accepted\""));
        assertEquals(1, delta(before, after, "lethe_requests_total", "decision=\"rejected\""));
        assertEquals(0, delta(before, after, "lethe_requests_total", "decision=\"duplicate\""));
        assertEquals(1, delta(before, after, "lethe_compute_seconds_count", "model=\"unit-model\""));
        assertEquals(2.5, delta(before, after, "lethe_compute_seconds_sum", "model=\"unit-model\""), 1e-9);
        assertEquals(1, delta(before, after, "lethe_compute_seconds_bucket", "model=\"unit-model\"", "le=\"+Inf\""));
        int buckets = 0;
        for (String series : after.keySet()) {
            java.util.regex.Matcher le = java.util.regex.Pattern.compile("le=\"([0-9.]+)\"").matcher(series);
            if (series.startsWith("lethe_compute_seconds_bucket{") && series.contains("unit-model") && le.find()) {
                buckets++;
                double expected = Double.parseDouble(le.group(1)) >= 2.5 ? 1 : 0;
                assertEquals(expected, after.get(series) - before.getOrDefault(series, 0.0), series);
            }
        }
        assertTrue(buckets > 5, "a histogram with buckets: " + buckets);
        assertEquals(1, delta(before, after, "lethe_retain_statistics_cache_total", "result=\"miss\""));
        assertEquals(0, delta(before, after, "lethe_retain_statistics_cache_total", "result=\"hit\""));
        assertEquals(1, delta(before, after, "lethe_versions_emitted_total", "model=\"unit-model\""));
        assertEquals(1, delta(before, after, "lethe_dead_letters_total"));
        double since = PrometheusText.sum(after, "lethe_seconds_since_last_version", "model=\"unit-model\"");
        assertTrue(since >= 0 && since < 60, "just emitted: " + since);
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM binders bound");
    }

    @Test
    void aTagUnderASecretKeyIsMaskedInTheScrape() {
        Gauge.builder("lethe.unit.secret.tagged", () -> 1.0).tag("sasl.jaas.config", "password=\"hunter2\"")
                .register(LetheMetrics.registry());
        String scrape = LetheMetrics.scrape();
        assertFalse(scrape.contains("hunter2"), scrape);
        assertTrue(scrape.contains("lethe_unit_secret_tagged{sasl_jaas_config=\"" + KafkaSettings.MASK + "\"}"));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name, String... labels) {
        return PrometheusText.sum(after, name, labels) - PrometheusText.sum(before, name, labels);
    }
}
