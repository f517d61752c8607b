package dev.lethe.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * How the cost of one unlearning request grows: with the forget samples, with the width of the
 * layers, with and without cached retain statistics, and dense against low-rank updates. Written
 * as markdown, JSON beside it (same base name) and PNG plots; every number is measured by the run
 * that writes it, and each comparison is a ratio within that run because the machine is shared.
 */
public final class ScalingReport {
    /** Seconds of one unlearning call, split as Forgetter.Outcome splits it. */
    public record Phases(double retainCapture, double forgetCapture, double eigen, double update) {
        public double total() {
            return retainCapture + forgetCapture + eigen + update;
        }
    }

    /** The repeats of one setting. Medians are per phase, and of the totals (not the sum of the medians). */
    public record Runs(List<Phases> runs) {
        public Runs {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("no runs");
            }
            runs = List.copyOf(runs);
        }

        public Phases median() {
            return new Phases(median(Phases::retainCapture), median(Phases::forgetCapture), median(Phases::eigen),
                    median(Phases::update));
        }

        public double medianTotal() {
            return median(Phases::total);
        }

        public double median(ToDoubleFunction<Phases> part) {
            return ScalingReport.median(runs.stream().mapToDouble(part).toArray());
        }

        double minTotal() {
            return runs.stream().mapToDouble(Phases::total).min().orElseThrow();
        }

        double maxTotal() {
            return runs.stream().mapToDouble(Phases::total).max().orElseThrow();
        }
    }

    /** What was measured, on what, with which settings. */
    public record Setup(String command, String machine, String date, String model, boolean trained, String forgotten,
                        double alphaR, double alphaF, int retainPerClass, int forgetSamples, int positionsPerSample,
                        int repeats) { }

    public record SamplePoint(int forgetSamples, Runs runs) { }

    /** One width multiplier: its trainable parameter count and its widest layer input. */
    public record WidthPoint(int width, long parameters, int largestDim, Runs runs) { }

    /** The same request with retain statistics captured in the call and handed in from a cache. */
    public record Cache(Runs cold, Runs warm, double statisticsSeconds) {
        public double speedup() {
            return cold.medianTotal() / warm.medianTotal();
        }
    }

    /**
     * One layer's update both ways on the same inputs (medians, milliseconds). The dense form also
     * needs M_f, whose construction is timed separately; {@code maxAbsDiff} compares the results.
     */
    public record UpdateRow(int width, String layer, int dim, int out, int retainRank, int forgetRank, double denseMs,
                            double forgetProjectionMs, double lowRankMs, long patchFloats, long weightFloats,
                            double maxAbsDiff) {
        public double denseOverLowRank() {
            return denseMs / lowRankMs;
        }
    }

    private final Setup setup;
    private final List<SamplePoint> samples;
    private final List<WidthPoint> widths;
    private final Cache cache;
    private final List<UpdateRow> updates;

    public ScalingReport(Setup setup, List<SamplePoint> samples, List<WidthPoint> widths, Cache cache,
                         List<UpdateRow> updates) {
        this.setup = setup;
        this.samples = List.copyOf(samples);
        this.widths = List.copyOf(widths);
        this.cache = cache;
        this.updates = List.copyOf(updates);
    }

    /** The JSON file written beside {@code markdown}: same name, {@code .json}. */
    public static Path jsonPath(Path markdown) {
        return markdown.resolveSibling(baseName(markdown) + ".json");
    }

    /** Writes the markdown, the JSON beside it and the PNGs it links to. */
    public void write(Path markdown) throws IOException {
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        String base = baseName(markdown);
        charts(markdown, base);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(jsonPath(markdown), mapper.writeValueAsString(json()) + "\n");
        Files.writeString(markdown, markdown(base));
    }

    /** Everything measured: settings, every repeat, medians and the ratios the document quotes. */
    public ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        setup(o.putObject("setup"));
        ArrayNode a = o.putArray("forget_samples");
        for (SamplePoint p : samples) {
            ObjectNode n = a.addObject().put("forget_samples", p.forgetSamples());
            runs(n, p.runs(), samples.get(0).runs());
        }
        ArrayNode w = o.putArray("widths");
        for (WidthPoint p : widths) {
            ObjectNode n = w.addObject().put("width_multiplier", p.width()).put("parameters", p.parameters())
                    .put("largest_input_dim", p.largestDim());
            runs(n, p.runs(), widths.get(0).runs());
        }
        ObjectNode c = o.putObject("retain_cache");
        c.put("statistics_seconds", cache.statisticsSeconds()).put("cold_over_warm", cache.speedup());
        runs(c.putObject("cold"), cache.cold(), cache.cold());
        runs(c.putObject("warm"), cache.warm(), cache.cold());
        ArrayNode u = o.putArray("updates");
        updates.forEach(r -> update(u.addObject(), r));
        return o;
    }

    private void setup(ObjectNode s) {
        s.put("command", setup.command()).put("machine", setup.machine()).put("date", setup.date())
                .put("model", setup.model()).put("trained", setup.trained()).put("forgotten_class", setup.forgotten())
                .put("alpha_r", setup.alphaR()).put("alpha_f", setup.alphaF())
                .put("retain_per_class", setup.retainPerClass()).put("forget_samples", setup.forgetSamples())
                .put("positions_per_sample", setup.positionsPerSample()).put("repeats", setup.repeats());
    }

    /** Every repeat, the medians, and the median total relative to {@code baseline}'s. */
    private static void runs(ObjectNode n, Runs r, Runs baseline) {
        ArrayNode each = n.putArray("runs");
        r.runs().forEach(p -> phases(each.addObject(), p));
        ObjectNode median = n.putObject("median");
        phases(median, r.median());
        median.put("total_s", r.medianTotal()); // the median of the totals, not the sum of the medians
        n.put("relative_to_baseline", r.medianTotal() / baseline.medianTotal());
    }

    private static void phases(ObjectNode n, Phases p) {
        n.put("retain_capture_s", p.retainCapture()).put("forget_capture_s", p.forgetCapture())
                .put("eigen_s", p.eigen()).put("update_s", p.update()).put("total_s", p.total());
    }

    private static void update(ObjectNode n, UpdateRow r) {
        n.put("width_multiplier", r.width()).put("layer", r.layer()).put("input_dim", r.dim()).put("out", r.out())
                .put("retain_rank", r.retainRank()).put("forget_rank", r.forgetRank()).put("dense_ms", r.denseMs())
                .put("forget_projection_ms", r.forgetProjectionMs()).put("low_rank_ms", r.lowRankMs())
                .put("dense_over_low_rank", r.denseOverLowRank()).put("patch_floats", r.patchFloats())
                .put("weight_floats", r.weightFloats()).put("max_abs_diff", r.maxAbsDiff());
    }

    // ---- charts -----------------------------------------------------------------------------------

    private void charts(Path markdown, String base) throws IOException {
        double[] n = samples.stream().mapToDouble(SamplePoint::forgetSamples).toArray();
        XYChart bySamples = logLog("Unlearning seconds against forget samples (median)", "forget samples (log)");
        phaseSeries(bySamples, n, samples.stream().map(SamplePoint::runs).toList());
        save(bySamples, markdown.resolveSibling(base + "-forget-samples.png"));

        double[] k = widths.stream().mapToDouble(WidthPoint::width).toArray();
        XYChart byWidth = logLog("Unlearning seconds against layer width (median, random-init VGG)",
                "width multiplier");
        // A log axis labels only powers of ten, which would leave 2x and 4x unlabelled.
        byWidth.getStyler().setXAxisLogarithmic(false);
        phaseSeries(byWidth, k, widths.stream().map(WidthPoint::runs).toList());
        save(byWidth, markdown.resolveSibling(base + "-widths.png"));

        save(cacheChart(), markdown.resolveSibling(base + "-cache.png"));
        save(updateChart(), markdown.resolveSibling(base + "-updates.png"));
    }

    private static XYChart logLog(String title, String xTitle) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle("seconds (log)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    /** The total and each phase as one line over the settings; a log axis cannot show a zero, so none is drawn. */
    private static void phaseSeries(XYChart chart, double[] x, List<Runs> runs) {
        // Phases first, in the cache chart's order, so that a phase has the same colour in every plot.
        chart.addSeries("retain statistics", x, positive(runs, Phases::retainCapture));
        chart.addSeries("forget statistics", x, positive(runs, Phases::forgetCapture));
        chart.addSeries("eigen-solves", x, positive(runs, Phases::eigen));
        chart.addSeries("update", x, positive(runs, Phases::update));
        chart.addSeries("total", x, runs.stream().mapToDouble(Runs::medianTotal).toArray());
    }

    private static double[] positive(List<Runs> runs, ToDoubleFunction<Phases> part) {
        return runs.stream().mapToDouble(r -> Math.max(r.median(part), 1e-6)).toArray();
    }

    private CategoryChart cacheChart() {
        CategoryChart chart = new CategoryChartBuilder().width(700).height(500)
                .title("One request, cold and warm retain statistics (median)").yAxisTitle("seconds").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> sides = List.of("cold", "warm");
        Phases c = cache.cold().median();
        Phases w = cache.warm().median();
        chart.addSeries("retain statistics", sides, List.of(c.retainCapture(), w.retainCapture()));
        chart.addSeries("forget statistics", sides, List.of(c.forgetCapture(), w.forgetCapture()));
        chart.addSeries("eigen-solves", sides, List.of(c.eigen(), w.eigen()));
        chart.addSeries("update", sides, List.of(c.update(), w.update()));
        return chart;
    }

    /** Per width, the updates of all layers summed: the total a request pays either way. */
    private CategoryChart updateChart() {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("All layers' updates, dense against low-rank (sum of per-layer medians)")
                .xAxisTitle("width multiplier").yAxisTitle("milliseconds").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        int[] ws = updates.stream().mapToInt(UpdateRow::width).distinct().toArray();
        List<String> labels = Arrays.stream(ws).mapToObj(w -> w + "x").toList();
        chart.addSeries("dense", labels, sums(ws, UpdateRow::denseMs));
        chart.addSeries("dense + building M_f", labels, sums(ws, r -> r.denseMs() + r.forgetProjectionMs()));
        chart.addSeries("low-rank", labels, sums(ws, UpdateRow::lowRankMs));
        return chart;
    }

    private List<Double> sums(int[] ws, ToDoubleFunction<UpdateRow> part) {
        return Arrays.stream(ws).mapToObj(w -> sum(w, part)).toList();
    }

    /** One width's layers added up. */
    private double sum(int width, ToDoubleFunction<UpdateRow> part) {
        return updates.stream().filter(r -> r.width() == width).mapToDouble(part).sum();
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ---- markdown ---------------------------------------------------------------------------------

    private String markdown(String base) {
        StringBuilder md = new StringBuilder("# How Lethe's cost grows\n\n");
        md.append("Generated by `").append(setup.command()).append("` on ").append(setup.machine()).append(", ")
                .append(setup.date()).append(". Do not edit by hand: run the command again. The numbers are in `")
                .append(base).append(".json` too, every repeat included.\n\n");
        md.append("Model: ").append(setup.model()).append(". Forgotten class: ").append(setup.forgotten())
                .append(fmt(", alpha_r = %s, alpha_f = %s", num(setup.alphaR()), num(setup.alphaF())))
                .append(fmt("; %d retain images per class, %d forget images, %d conv patches per image and layer",
                        setup.retainPerClass(), setup.forgetSamples(), setup.positionsPerSample()))
                .append(" unless a section varies them; untruncated update.\n\n");
        md.append(fmt("Every time is the median of %d repeats, the settings of a section taken in turn within each "
                + "repeat, after one untimed warm-up request. The machine is shared and noisy, so compare the "
                + "ratios (each against a baseline measured in the same run) rather than the seconds. Phases are "
                + "those of `unlearn_seconds`: retain statistics, forget statistics (inference, conv patches, "
                + "Grams), eigen-solves, update.%n%n", setup.repeats()));
        forgetSection(md, base);
        widthSection(md, base);
        cacheSection(md, base);
        updateSection(md, base);
        jmhSection(md);
        return md.toString();
    }

    private void forgetSection(StringBuilder md, String base) {
        md.append("## Forget samples\n\nOn the model above, retain statistics computed in the call (cold).\n\n");
        md.append("| forget samples | retain stats s | forget stats s | eigen s | update s | total s | "
                + "total / first | totals (min-max) |\n|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (SamplePoint p : samples) {
            md.append(fmt("| %d ", p.forgetSamples())).append(row(p.runs(), samples.get(0).runs()));
        }
        SamplePoint first = samples.get(0);
        SamplePoint last = samples.get(samples.size() - 1);
        md.append(fmt("%nFrom %d to %d forget samples (%.1fx), the forget statistics took %.2fx as long "
                        + "(growth exponent %.2f; 1 = linear) and the whole request %.2fx (exponent %.2f). "
                        + "The other phases work on d x d matrices whose size does not depend on the sample count.%n%n",
                first.forgetSamples(), last.forgetSamples(), last.forgetSamples() / (double) first.forgetSamples(),
                ratio(last.runs(), first.runs(), Phases::forgetCapture),
                growth(first.forgetSamples(), last.forgetSamples(), first.runs(), last.runs(), Phases::forgetCapture),
                last.runs().medianTotal() / first.runs().medianTotal(),
                growth(first.forgetSamples(), last.forgetSamples(), first.runs(), last.runs(), Phases::total)));
        md.append("![seconds against forget samples](").append(base).append("-forget-samples.png)\n\n");
    }

    private void widthSection(StringBuilder md, String base) {
        md.append("## Layer width\n\nThe VGG with every conv stage and the hidden Linear k times as wide "
                + "(`Networks.vgg`), **randomly initialised** (no trained wide models exist; the cost depends on "
                + "the shapes and on how many directions are kept, which random weights change somewhat), "
                + "same class, alphas and sampling, cold.\n\n");
        md.append("| width | parameters | widest input d | retain stats s | forget stats s | eigen s | update s | "
                + "total s | total / first | totals (min-max) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (WidthPoint p : widths) {
            md.append(fmt("| %dx | %,d | %d ", p.width(), p.parameters(), p.largestDim()))
                    .append(row(p.runs(), widths.get(0).runs()));
        }
        if (widths.size() > 1) {
            WidthPoint first = widths.get(0);
            WidthPoint last = widths.get(widths.size() - 1);
            md.append(fmt("%nGrowth exponents from %dx to %dx width (a layer's input d grows like the width): "
                            + "retain statistics %.2f, forget statistics %.2f, eigen-solves %.2f, update %.2f, "
                            + "total %.2f. For reference, a d x d eigen-solve is O(d^3), a Gram over n columns "
                            + "O(d^2 n), the forward passes O(width^2).%n%n", first.width(), last.width(),
                    growth(first.width(), last.width(), first.runs(), last.runs(), Phases::retainCapture),
                    growth(first.width(), last.width(), first.runs(), last.runs(), Phases::forgetCapture),
                    growth(first.width(), last.width(), first.runs(), last.runs(), Phases::eigen),
                    growth(first.width(), last.width(), first.runs(), last.runs(), Phases::update),
                    growth(first.width(), last.width(), first.runs(), last.runs(), Phases::total)));
        }
        md.append("![seconds against width](").append(base).append("-widths.png)\n\n");
    }

    private void cacheSection(StringBuilder md, String base) {
        md.append("## Cold and warm retain statistics\n\nCold: the retain statistics are captured inside the "
                + "request. Warm: they were computed beforehand (once per model version, as the stream processor "
                + "keeps them) and handed to `ForgetJob.run` as its cache; what remains of the retain phase is "
                + "summing the per-class Grams.\n\n| phase | cold s | warm s |\n|---|---:|---:|\n");
        Phases c = cache.cold().median();
        Phases w = cache.warm().median();
        md.append(fmt("| retain statistics | %.3f | %.3f |%n", c.retainCapture(), w.retainCapture()));
        md.append(fmt("| forget statistics | %.3f | %.3f |%n", c.forgetCapture(), w.forgetCapture()));
        md.append(fmt("| eigen-solves | %.3f | %.3f |%n", c.eigen(), w.eigen()));
        md.append(fmt("| update | %.3f | %.3f |%n", c.update(), w.update()));
        md.append(fmt("| **total** | **%.3f** | **%.3f** |%n", cache.cold().medianTotal(), cache.warm().medianTotal()));
        md.append(fmt("%nA warm request takes 1/%.2f of a cold one. Computing the statistics beforehand took %.3f s "
                + "(once per model version, outside any request).", cache.speedup(), cache.statisticsSeconds()));
        samples.stream().filter(p -> p.forgetSamples() == setup.forgetSamples()).findFirst().ifPresent(p -> md.append(
                fmt(" The cold request here is the very request of the forget-samples row %d, timed earlier in the "
                        + "run: %.3f s there, %.3f s here. Their ratio, %.2f, measures how much the load of the shared "
                        + "machine moved the seconds from one section to the other.", p.forgetSamples(), p.runs().medianTotal(),
                        cache.cold().medianTotal(), p.runs().medianTotal() / cache.cold().medianTotal())));
        md.append("\n\n");
        md.append("![cold and warm phases](").append(base).append("-cache.png)\n\n");
    }

    private void updateSection(StringBuilder md, String base) {
        md.append("## Dense and low-rank updates\n\nEach layer's update computed both ways from the same W, M_r "
                + "and kept forget directions (randomly initialised VGGs of the widths above, the bases from their "
                + "own statistics), each timed three times per repeat, the three in turn: `LayerUpdate.dense` (W - W (I - M_r) M_f, O(out d^2); it also needs "
                + "M_f = U Lambda U^T, O(d^2 k), timed apart) and `LayerUpdate.lowRank` (the patch A B, "
                + "O(out d k + d^2 k)). Patch size is (out + d) k numbers against out d for the weight; untruncated, "
                + "k can reach d and the patch is then larger than the weight. `max |diff|` compares the dense "
                + "result with W - A B.\n\n");
        md.append("| width | layer | d | out | retain k | forget k | dense ms | M_f ms | low-rank ms | dense / low-rank "
                + "| patch / weight numbers | max abs diff |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (UpdateRow r : updates) {
            md.append(fmt("| %dx | %s | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2fx | %.2f | %.1e |%n", r.width(),
                    r.layer(), r.dim(), r.out(), r.retainRank(), r.forgetRank(), r.denseMs(), r.forgetProjectionMs(),
                    r.lowRankMs(), r.denseOverLowRank(), r.patchFloats() / (double) r.weightFloats(), r.maxAbsDiff()));
        }
        md.append(rankNote());
        md.append("\nAll layers together:\n\n| width | dense ms | dense + M_f ms | low-rank ms | dense / low-rank "
                + "| (dense + M_f) / low-rank |\n|---:|---:|---:|---:|---:|---:|\n");
        for (int width : updates.stream().mapToInt(UpdateRow::width).distinct().toArray()) {
            double dense = sum(width, UpdateRow::denseMs);
            double mf = sum(width, UpdateRow::forgetProjectionMs);
            double low = sum(width, UpdateRow::lowRankMs);
            md.append(fmt("| %dx | %.1f | %.1f | %.1f | %.2fx | %.2fx |%n", width, dense, dense + mf, low, dense / low,
                    (dense + mf) / low));
        }
        md.append("\n![update milliseconds by width](").append(base).append("-updates.png)\n\n");
    }

    /**
     * Given M_f, the dense form costs 2 out d^2 multiply-adds and the low-rank one d^2 k + out d k:
     * the patch should be the faster where k < 2 out d / (d + out). Says where that held.
     */
    private String rankNote() {
        List<String> misses = updates.stream().filter(r -> predictLowRank(r) != (r.lowRankMs() < r.denseMs()))
                .map(r -> fmt("%s at %dx (d %d, k %d, out %d)", r.layer(), r.width(), r.dim(), r.forgetRank(), r.out()))
                .toList();
        long withMf = updates.stream().filter(r -> r.lowRankMs() < r.denseMs() + r.forgetProjectionMs()).count();
        return fmt("%nWith M_f given, dense costs 2 out d^2 multiply-adds and low-rank d^2 k + out d k, so low-rank "
                + "should be the faster where k < 2 out d / (d + out), about 2 out when a layer has far fewer outputs "
                + "than inputs. The prediction named the "
                + "faster form in %d of %d layers%s. Counting the M_f a dense update must build first (d^2 k), "
                + "low-rank was the faster in %d of %d layers.%n", updates.size() - misses.size(), updates.size(),
                misses.isEmpty() ? "" : "; it missed " + String.join(", ", misses), withMf, updates.size());
    }

    private static boolean predictLowRank(UpdateRow r) {
        return (double) r.forgetRank() * (r.dim() + r.out()) < 2.0 * r.out() * r.dim();
    }

    private static void jmhSection(StringBuilder md) {
        md.append("## Micro-benchmarks of the kernels (JMH)\n\nThe math kernels alone, on synthetic matrices, with "
                + "JMH's forks, warm-up and statistics: Gram accumulation (`dsyrk`), the symmetric eigen-solve "
                + "(`dsyevd`), dense against low-rank updates. They are built only by the Maven profile `bench` "
                + "(the default build and `mvn test` do not see them):\n\n```bash\n"
                + "mvn -B -Pbench -DskipTests package\n"
                + "OPENBLAS_CORETYPE=Haswell java -jar target/lethe-jmh.jar -f 1 -wi 2 -i 5     # all of them\n"
                + "OPENBLAS_CORETYPE=Haswell java -jar target/lethe-jmh.jar Eigen -p dim=576   # one, one size\n"
                + "java -jar target/lethe-jmh.jar -l                                          # list them\n```\n");
    }

    /** The cells after a row's first ones: median phases, median total, ratio, range of totals. */
    private static String row(Runs r, Runs baseline) {
        Phases m = r.median();
        return fmt("| %.3f | %.3f | %.3f | %.3f | %.3f | %.2fx | %.3f-%.3f |%n", m.retainCapture(), m.forgetCapture(),
                m.eigen(), m.update(), r.medianTotal(), r.medianTotal() / baseline.medianTotal(), r.minTotal(),
                r.maxTotal());
    }

    private static double ratio(Runs a, Runs b, ToDoubleFunction<Phases> part) {
        return a.median(part) / b.median(part);
    }

    private static double growth(double x0, double x1, Runs r0, Runs r1, ToDoubleFunction<Phases> part) {
        return exponent(x0, r0.median(part), x1, r1.median(part));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** log(y1 / y0) / log(x1 / x0): 1 for linear growth, 2 for quadratic. NaN with fewer than two points. */
    static double exponent(double x0, double y0, double x1, double y1) {
        return x1 == x0 ? Double.NaN : Math.log(y1 / y0) / Math.log(x1 / x0);
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String baseName(Path markdown) {
        String name = markdown.getFileName().toString();
        return name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    }
}
