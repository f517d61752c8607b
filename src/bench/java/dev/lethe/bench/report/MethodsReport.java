package dev.lethe.bench.report;

import dev.lethe.bench.Comparison;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lethe.baselines.LetheMethod;
import dev.lethe.baselines.Retrain;
import dev.lethe.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Lethe against the baselines: means and spreads over the classes each method ran on, the same on
 * the classes retraining ran on, every run, and plots. Written as markdown with a JSON file and PNGs
 * beside it; every number comes from the {@link Comparison.Result} it is given.
 */
public final class MethodsReport {
    /** Mean and sample standard deviation (NaN for fewer than two values) of {@code n} values. */
    public record Stat(double mean, double std, int n) {
        static Stat of(double[] v) {
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            return new Stat(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN, v.length);
        }
    }

    /** One method over a set of classes; fractions in [0, 1], seconds per request. */
    public record Summary(List<Integer> classes, Stat retain, Stat forget, Stat mia, Stat seconds,
                          double speedupVsRetrain) { }

    private final Comparison.Result result;

    public MethodsReport(Comparison.Result result) {
        this.result = result;
    }

    /** Each method over every class it ran on, in plan order. */
    public Map<String, Summary> summaries() {
        return summaries(null);
    }

    /** Each method over the classes of {@code only} it ran on (null: all); speedups within the same classes. */
    public Map<String, Summary> summaries(Collection<Integer> only) {
        Map<String, List<Comparison.Run>> byMethod = new LinkedHashMap<>();
        result.descriptions().keySet().forEach(m -> byMethod.put(m, new ArrayList<>()));
        for (Comparison.Run r : result.runs()) {
            if (only == null || only.contains(r.cls())) {
                byMethod.get(r.method()).add(r);
            }
        }
        double retrainSeconds = byMethod.getOrDefault(Retrain.ID, List.of()).stream()
                .mapToDouble(r -> r.outcome().seconds()).average().orElse(Double.NaN);
        Map<String, Summary> out = new LinkedHashMap<>();
        byMethod.forEach((m, runs) -> {
            if (!runs.isEmpty()) {
                Stat seconds = Stat.of(runs.stream().mapToDouble(r -> r.outcome().seconds()).toArray());
                out.put(m, new Summary(runs.stream().map(Comparison.Run::cls).toList(),
                        Stat.of(runs.stream().mapToDouble(MethodsReport::retain).toArray()),
                        Stat.of(runs.stream().mapToDouble(MethodsReport::forget).toArray()),
                        Stat.of(runs.stream().mapToDouble(r -> r.mia().efficacy()).toArray()),
                        seconds, retrainSeconds / seconds.mean()));
            }
        });
        return out;
    }

    /** The untouched model over {@code classes}: what each request starts from. */
    public Summary original(Collection<Integer> classes) {
        List<Integer> cs = new ArrayList<>(new TreeSet<>(classes));
        return new Summary(cs,
                Stat.of(cs.stream().mapToDouble(c -> result.before().retainAccuracy(gone(c))).toArray()),
                Stat.of(cs.stream().mapToDouble(c -> result.before().forgetAccuracy(gone(c))).toArray()),
                Stat.of(cs.stream().mapToDouble(c -> result.originalMia().get(c).efficacy()).toArray()),
                new Stat(Double.NaN, Double.NaN, 0), Double.NaN);
    }

    /** The classes retraining ran on, empty when it did not run. */
    public List<Integer> retrainClasses() {
        return result.classes().getOrDefault(Retrain.ID, List.of());
    }

    /** What {@code bench methods --json} prints: means per method, and the same on retrain's classes. */
    public ObjectNode summaryJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("methods", methodsJson(summaries()));
        ArrayNode rc = o.putArray("retrain_classes");
        retrainClasses().forEach(rc::add);
        if (!retrainClasses().isEmpty()) {
            o.set("on_retrain_classes", methodsJson(summaries(retrainClasses())));
        }
        o.set("original", summaryJson(original(allClasses())));
        return o;
    }

    /** Everything: the summary, each method's description and every run with its settings and phases. */
    public ObjectNode fullJson(String command, String machine, String date) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("command", command);
        o.put("machine", machine);
        o.put("date", date);
        ObjectNode model = o.putObject("model");
        model.put("dir", result.model().toString());
        model.put("architecture", result.manifest().architecture());
        model.put("sha256", result.manifest().sha256());
        model.putPOJO("per_class_test_accuracy", result.before().perClass());
        o.set("descriptions", ModelFiles.JSON.valueToTree(result.descriptions()));
        o.setAll(summaryJson());
        ArrayNode runs = o.putArray("runs");
        for (Comparison.Run r : result.runs()) {
            ObjectNode n = runs.addObject();
            n.put("method", r.method());
            n.put("class", r.cls());
            n.put("label", label(r.cls()));
            put(n, "retain_accuracy", retain(r));
            put(n, "forget_accuracy", forget(r));
            put(n, "mia_efficacy", r.mia().efficacy());
            n.put("seconds", r.outcome().seconds());
            n.set("phases", ModelFiles.JSON.valueToTree(r.outcome().phases()));
            n.set("settings", ModelFiles.JSON.valueToTree(r.outcome().settings()));
            ArrayNode per = n.putArray("per_class_after");
            for (double v : r.after().perClass()) {
                per.add(v);
            }
        }
        return o;
    }

    /**
     * Writes {@code markdown}, and beside it the full JSON ({@code .json}) and the PNG plots.
     *
     * @param model one sentence on the model compared (where it came from, its accuracy and hash)
     */
    public void write(Path markdown, String command, String machine, String date, String model) throws IOException {
        Path dir = markdown.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String stem = markdown.getFileName().toString().replaceFirst("\\.md$", "");
        Path json = dir.resolve(stem + ".json");
        ModelFiles.JSON.writeValue(json.toFile(), fullJson(command, machine, date));
        List<String> plots = new ArrayList<>();
        if (result.classes().containsKey(LetheMethod.ID)) {
            plots.add(letheChart(dir.resolve(stem + "-lethe-per-class.png")));
        }
        plots.add(scatter(dir.resolve(stem + "-retain-vs-seconds.png"), true));
        plots.add(scatter(dir.resolve(stem + "-forget-vs-seconds.png"), false));
        Files.writeString(markdown, markdown(command, machine, date, model, json.getFileName().toString(), plots));
    }

    // ---- markdown -------------------------------------------------------------------------------

    private String markdown(String command, String machine, String date, String model, String json,
                            List<String> plots) {
        StringBuilder md = new StringBuilder();
        md.append("# Lethe against the baselines\n\n");
        md.append("Generated by `").append(command).append("` on ").append(machine).append(", ").append(date)
                .append(". Do not edit by hand: run the command again. Every run is also in [`").append(json)
                .append("`](").append(json).append(").\n\n");
        md.append("Model: ").append(model).append("\n\n");
        md.append("Each request starts from a fresh load of the model and forgets one class; every method is\n")
                .append("then judged by the same code on the Fashion-MNIST test set: `ACC_r` (retained classes),\n")
                .append("`ACC_f` (the forgotten class) and the paper's membership-inference efficacy (higher is\n")
                .append("better; a model that never saw the class scores about 100%). `seconds` is the wall-clock\n")
                .append("time of the method's own call, evaluation excluded. `lethe` includes its retain statistics\n")
                .append("(captured in the call), drawing its samples and applying its patches; `lethe-cached` is the\n")
                .append("same request as the stream processor serves it, with the model version's retain statistics\n")
                .append("captured once beforehand (the same bits, so the same model); `lethe-paper` is the ablation:\n")
                .append("the same request without head re-centring, i.e. exactly the paper's update (docs/algorithm.md).\n")
                .append("An untimed Lethe request warms the JVM first. Means ± sample standard deviations over the\n")
                .append("classes in the `classes` column.\n\n");
        md.append("## Methods\n\n");
        result.descriptions().forEach((m, d) -> md.append("- **").append(m).append("**: ").append(d).append(".\n"));
        md.append("\n## Means over classes\n\n");
        table(md, summaries(), allClasses());
        if (!retrainClasses().isEmpty() && !retrainClasses().equals(allClasses())) {
            md.append("\n## On the classes retraining ran on (").append(classList(retrainClasses())).append(")\n\n")
                    .append("Retraining is a full training run per class, so it runs on fewer classes; this table\n")
                    .append("compares every method on exactly those classes.\n\n");
            table(md, summaries(retrainClasses()), retrainClasses());
        }
        versusRetrain(md);
        phases(md);
        perClass(md);
        md.append("\n## Plots\n\n");
        plots.forEach(p -> md.append("![").append(p.replace(".png", "")).append("](").append(p).append(")\n\n"));
        return md.toString();
    }

    private void table(StringBuilder md, Map<String, Summary> summaries, List<Integer> classes) {
        md.append("| method | classes | ACC_r (%) | ACC_f (%) | MIA efficacy (%) | seconds | speedup vs retrain |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        row(md, "original (no unlearning)", original(classes));
        summaries.forEach((m, s) -> row(md, m, s));
    }

    private static void row(StringBuilder md, String name, Summary s) {
        md.append("| ").append(name).append(" | ").append(classList(s.classes())).append(" | ")
                .append(pm(s.retain(), 100, 2)).append(" | ").append(pm(s.forget(), 100, 2)).append(" | ")
                .append(pm(s.mia(), 100, 1)).append(" | ").append(pm(s.seconds(), 1, 2)).append(" | ")
                .append(Double.isFinite(s.speedupVsRetrain())
                        ? String.format(Locale.ROOT, "%.1fx", s.speedupVsRetrain()) : "–")
                .append(" |\n");
    }

    /** Lethe next to the gold standard on the classes both ran on, in the terms users ask about. */
    private void versusRetrain(StringBuilder md) {
        Map<String, Summary> same = summaries(retrainClasses());
        Summary retrain = same.get(Retrain.ID);
        if (retrain == null) {
            return;
        }
        md.append("\n## Lethe next to retraining (classes ").append(classList(retrainClasses())).append(")\n\n");
        for (String m : List.of(LetheMethod.ID, LetheMethod.CACHED_ID, LetheMethod.PAPER_ID)) {
            Summary s = same.get(m);
            if (s != null) {
                md.append(String.format(Locale.ROOT, "- **%s**: ACC_r %+.2f points against retrain's, ACC_f %.2f%% "
                        + "(retrain %.2f%%), MIA %.1f%% (retrain %.1f%%), %.1fx faster.%n", m,
                        (s.retain().mean() - retrain.retain().mean()) * 100, s.forget().mean() * 100,
                        retrain.forget().mean() * 100, s.mia().mean() * 100, retrain.mia().mean() * 100,
                        s.speedupVsRetrain()));
            }
        }
    }

    private void phases(StringBuilder md) {
        md.append("\n## Where the time went (mean seconds per request)\n\n");
        for (String m : result.descriptions().keySet()) {
            List<Comparison.Run> runs = result.runs().stream().filter(r -> r.method().equals(m)).toList();
            if (runs.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (String phase : runs.get(0).outcome().phases().keySet()) {
                double mean = runs.stream().mapToDouble(r -> r.outcome().phases().getOrDefault(phase, 0.0))
                        .average().orElse(Double.NaN);
                parts.add(String.format(Locale.ROOT, "%s %.2f", phase, mean));
            }
            md.append("- **").append(m).append("**: ").append(String.join(", ", parts)).append("\n");
        }
    }

    private void perClass(StringBuilder md) {
        md.append("\n## Every request\n\n");
        md.append("| class | method | ACC_r (%) | ACC_f (%) | MIA (%) | seconds | chosen |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (Comparison.Run r : result.runs()) {
            List<String> chosen = new ArrayList<>();
            for (String k : List.of("alpha_r", "alpha_f", "forget_rank", "alpha", "parameters_dampened")) {
                Object v = r.outcome().settings().get(k);
                if (v != null) {
                    chosen.add(k + " " + (v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : v));
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.1f | %.2f | %s |%n", label(r.cls()),
                    r.method(), retain(r) * 100, forget(r) * 100, r.mia().efficacy() * 100, r.outcome().seconds(),
                    String.join(", ", chosen)));
        }
    }

    private static String pm(Stat s, double scale, int digits) {
        if (!Double.isFinite(s.mean())) {
            return "–";
        }
        String f = "%." + digits + "f";
        String mean = String.format(Locale.ROOT, f, s.mean() * scale);
        return Double.isFinite(s.std()) ? mean + " ± " + String.format(Locale.ROOT, f, s.std() * scale) : mean;
    }

    /** {@code 0-9}, {@code 1, 6} or {@code 0-2, 7}. */
    static String classList(List<Integer> classes) {
        List<Integer> cs = new ArrayList<>(new TreeSet<>(classes));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < cs.size(); ) {
            int j = i;
            while (j + 1 < cs.size() && cs.get(j + 1) == cs.get(j) + 1) {
                j++;
            }
            parts.add(j - i >= 2 ? cs.get(i) + "-" + cs.get(j) : cs.get(i) + (j > i ? ", " + cs.get(j) : ""));
            i = j + 1;
        }
        return String.join(", ", parts);
    }

    // ---- charts ---------------------------------------------------------------------------------

    private String letheChart(Path png) throws IOException {
        List<Comparison.Run> runs = result.runs().stream().filter(r -> r.method().equals(LetheMethod.ID)).toList();
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("forgotten class, before", runs.stream().mapToDouble(r -> pct(result.before().forgetAccuracy(gone(r.cls())))).toArray());
        series.put("forgotten class, after", runs.stream().mapToDouble(r -> pct(forget(r))).toArray());
        series.put("other classes, before", runs.stream().mapToDouble(r -> pct(result.before().retainAccuracy(gone(r.cls())))).toArray());
        series.put("other classes, after", runs.stream().mapToDouble(r -> pct(retain(r))).toArray());
        Charts.groupedBars(png, "Lethe: test accuracy when each class is forgotten", "accuracy (%)",
                runs.stream().map(r -> label(r.cls())).toList(), series);
        return png.getFileName().toString();
    }

    private String scatter(Path png, boolean retained) throws IOException {
        String what = retained ? "retained classes" : "forgotten class";
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("Test accuracy on the " + what + " vs seconds per request (one point per class)")
                .xAxisTitle("seconds per request (log scale)").yAxisTitle("accuracy on the " + what + " (%)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (String m : result.descriptions().keySet()) {
            List<Comparison.Run> runs = result.runs().stream().filter(r -> r.method().equals(m)).toList();
            if (!runs.isEmpty()) {
                chart.addSeries(m, runs.stream().mapToDouble(r -> r.outcome().seconds()).toArray(),
                        runs.stream().mapToDouble(r -> pct(retained ? retain(r) : forget(r))).toArray());
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png.getFileName().toString();
    }

    // ---- helpers shared with MethodsMarkdown ----------------------------------------------------

    List<Integer> allClasses() {
        return new ArrayList<>(new TreeSet<>(result.runs().stream().map(Comparison.Run::cls).toList()));
    }

    String label(int c) {
        return c + " " + result.manifest().labels().get(c);
    }

    /** Every class the model no longer knows once {@code c} is forgotten. */
    Set<Integer> gone(int c) {
        Set<Integer> all = result.manifest().forgottenClasses();
        all.add(c);
        return all;
    }

    static double retain(Comparison.Run r) {
        return r.after().retainAccuracy(r.outcome().allForgotten());
    }

    static double forget(Comparison.Run r) {
        return r.after().forgetAccuracy(r.outcome().allForgotten());
    }

    private static double pct(double v) {
        return v * 100;
    }

    private static ObjectNode methodsJson(Map<String, Summary> summaries) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        summaries.forEach((m, s) -> o.set(m, summaryJson(s)));
        return o;
    }

    private static ObjectNode summaryJson(Summary s) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        put(n, "retain_accuracy", s.retain().mean());
        put(n, "forget_accuracy", s.forget().mean());
        put(n, "mia_efficacy", s.mia().mean());
        put(n, "seconds", s.seconds().mean());
        put(n, "speedup_vs_retrain", s.speedupVsRetrain());
        ArrayNode cs = n.putArray("classes");
        s.classes().forEach(cs::add);
        ObjectNode std = n.putObject("std");
        put(std, "retain_accuracy", s.retain().std());
        put(std, "forget_accuracy", s.forget().std());
        put(std, "mia_efficacy", s.mia().std());
        put(std, "seconds", s.seconds().std());
        return n;
    }

    /** JSON has no NaN: a value that could not be computed is null. */
    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
