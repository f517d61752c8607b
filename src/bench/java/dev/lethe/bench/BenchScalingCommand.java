package dev.lethe.bench;

import dev.lethe.cli.ProgressBar;
import dev.lethe.cli.Common;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.data.Classes;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.SampleBank;
import dev.lethe.data.Splits;
import dev.lethe.engine.ClassStatistics;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Forgetter;
import dev.lethe.engine.Sampling;
import dev.lethe.model.Architecture;
import dev.lethe.model.Inference;
import dev.lethe.model.LayerSpec;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.patch.Patches;
import dev.lethe.model.Networks;
import dev.lethe.bench.report.ScalingReport;
import dev.lethe.bench.report.ScalingReport.Phases;
import dev.lethe.bench.report.ScalingReport.Runs;
import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Gram;
import dev.lethe.unlearn.LayerUpdate;
import dev.lethe.unlearn.LowRankPatch;
import dev.lethe.unlearn.Projection;
import dev.lethe.unlearn.Unlearning;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scaling", description = "How the cost of a request grows with forget samples and layer width, "
        + "cold against warm retain statistics, dense against low-rank updates; writes docs/results-scaling.md, "
        + "a JSON file beside it and plots.")
final class BenchScalingCommand implements Callable<Integer> {
    /** Seeds the randomly initialised networks, so every run times the same weights. */
    private static final long INIT_SEED = 7;
    /** A layer's update takes milliseconds: it is timed this many times per repeat, for a steadier median. */
    private static final int UPDATE_REPEATS = 3;

    @Mixin Common common;

    @Option(names = "--model", paramLabel = "DIR",
            description = "a trained VGG directory (default: a randomly initialised VGG, fine for timing)")
    Path model;

    @Option(names = "--class", defaultValue = "Shirt", description = "the class to forget (default: ${DEFAULT-VALUE})")
    String forgetClass;

    @Option(names = "--forget-samples", defaultValue = "100,300,900,2700", paramLabel = "N,N,...")
    String forgetSamples;

    @Option(names = "--forget-per-request", defaultValue = "900", paramLabel = "N",
            description = "forget images of the requests in the width, cache and update sections (default: ${DEFAULT-VALUE})")
    int forgetPerRequest;

    @Option(names = "--widths", defaultValue = "1,2,4", paramLabel = "K,K,...",
            description = "width multipliers of the VGG's conv channels and hidden Linear (default: ${DEFAULT-VALUE})")
    String widths;

    @Option(names = "--repeats", defaultValue = "3", description = "timings per setting; the median is reported")
    int repeats;

    @Option(names = "--retain-per-class", defaultValue = "100") int retainPerClass;

    @Option(names = "--positions", defaultValue = "32", description = "conv patches kept per image and layer")
    int positions;

    @Option(names = "--out", defaultValue = "docs/results-scaling.md", paramLabel = "FILE") Path out;

    @Option(names = "--json", description = "print the summary as one JSON object") boolean json;

    private Splits splits;
    private Sampling sampling;
    private int cls;
    private Manifest.Alphas alphas;
    private int done;
    private int total;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1");
        }
        splits = common.splits();
        sampling = new Sampling(retainPerClass, forgetPerRequest, positions, Sampling.DEFAULT.seed());
        List<Integer> counts = Ranges.parse(forgetSamples);
        List<Integer> multipliers = Ranges.parse(widths);
        total = repeats * (counts.size() + 2 + multipliers.size()) + multipliers.size();
        List<ScalingReport.SamplePoint> bySamples;
        ScalingReport.Cache cache;
        String description;
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = loadOrInit(m)) {
            Network net = loaded.network();
            cls = Common.classIndex(forgetClass, loaded.manifest().labels());
            alphas = loaded.manifest().alphaTable().choose(Set.of(cls));
            description = describe(loaded.manifest());
            requireAvailable(Math.max(forgetPerRequest, counts.stream().mapToInt(Integer::intValue).max().orElseThrow()));
            byte[] original = ModelFiles.weightBytes(net);
            timed(net, loaded.manifest(), original, sampling.withForgetSamples(counts.get(0)), null); // warm-up
            bySamples = sampleSweep(net, loaded.manifest(), original, counts);
            cache = cacheComparison(net, loaded.manifest(), original);
        }
        List<ScalingReport.WidthPoint> byWidth = widthSweep(multipliers);
        List<ScalingReport.UpdateRow> updates = new ArrayList<>();
        for (int k : multipliers) {
            updates.addAll(updateComparison(k));
            progress();
        }
        ScalingReport report = new ScalingReport(setup(description), bySamples, byWidth, cache, updates);
        report.write(out);
        print(bySamples, byWidth, cache, updates);
        System.err.println("wrote " + out + ", " + ScalingReport.jsonPath(out) + " and its plots");
        return 0;
    }

    /** A request silently takes all of a class when asked for more, which would mislabel the sweep. */
    private void requireAvailable(int forget) {
        int available = splits.train().indicesOfClass(cls).length;
        if (forget > available) {
            throw new IllegalArgumentException(forget + " forget samples asked for, but class " + cls + " has "
                    + available + " training images");
        }
    }

    /** The given model directory, or a random VGG with a manifest that says so (no tuned alphas). */
    private ModelFiles.Loaded loadOrInit(NDManager m) throws Exception {
        if (model != null) {
            return ModelFiles.read(model, m);
        }
        return new ModelFiles.Loaded(Architecture.VGG.create(m, INIT_SEED), randomManifest());
    }

    private String describe(Manifest manifest) {
        if (model == null) {
            return "a **randomly initialised** VGG (seed " + INIT_SEED + "; no --model given: fine for timing, "
                    + "not for accuracy)";
        }
        return String.format(java.util.Locale.ROOT, "`%s`, a trained %s (test accuracy %.2f%%, sha256 `%s`)", model,
                manifest.architecture(), manifest.testAccuracy() == null ? Double.NaN
                        : manifest.testAccuracy().overall() * 100, manifest.sha256().substring(0, 16));
    }

    /** One request on the original weights, which are put back afterwards; returns its phases. */
    private Phases timed(Network net, Manifest manifest, byte[] original, Sampling s, ClassStatistics warm) {
        ModelFiles.loadSafetensors(net, original);
        // Untruncated (rank 0), as the report says: the update section compares the full forms.
        ForgetSpec spec = ForgetSpec.resolve(Set.of(cls), manifest.alphaTable(), alphas, 0, ForgetJob.RECENTRE_HEAD, s);
        ForgetJob.Result r = ForgetJob.run(net, manifest, splits, spec, warm);
        ModelFiles.loadSafetensors(net, original);
        Forgetter.Outcome o = r.outcome();
        return new Phases(o.retainCaptureSeconds(), o.forgetCaptureSeconds(), o.eigenSeconds(), o.updateSeconds());
    }

    /** Cold requests with each forget-sample count, the counts taken in turn within each repeat. */
    private List<ScalingReport.SamplePoint> sampleSweep(Network net, Manifest manifest, byte[] original,
                                                        List<Integer> counts) {
        List<List<Phases>> runs = lists(counts.size());
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < counts.size(); i++) {
                runs.get(i).add(timed(net, manifest, original, sampling.withForgetSamples(counts.get(i)), null));
                progress();
            }
        }
        List<ScalingReport.SamplePoint> out = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            out.add(new ScalingReport.SamplePoint(counts.get(i), new Runs(runs.get(i))));
        }
        return out;
    }

    /** The same request cold and warm, alternating; the warm side's statistics are timed once, apart. */
    private ScalingReport.Cache cacheComparison(Network net, Manifest manifest, byte[] original) {
        long t0 = System.nanoTime();
        ClassStatistics stats = ClassStatistics.captureRetain(net, splits, retained(manifest), sampling);
        double statsSeconds = (System.nanoTime() - t0) / 1e9;
        List<Phases> cold = new ArrayList<>();
        List<Phases> warm = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            cold.add(timed(net, manifest, original, sampling, null));
            progress();
            warm.add(timed(net, manifest, original, sampling, stats));
            progress();
        }
        return new ScalingReport.Cache(new Runs(cold), new Runs(warm), statsSeconds);
    }

    /** Cold requests on random VGGs of each width, the widths taken in turn within each repeat. */
    private List<ScalingReport.WidthPoint> widthSweep(List<Integer> multipliers) {
        try (NDManager m = common.manager()) {
            List<Network> nets = new ArrayList<>();
            List<byte[]> originals = new ArrayList<>();
            for (int k : multipliers) {
                Network net = Networks.vgg(m, INIT_SEED, k);
                nets.add(net);
                originals.add(ModelFiles.weightBytes(net));
            }
            Manifest manifest = randomManifest();
            List<List<Phases>> runs = lists(multipliers.size());
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < nets.size(); i++) {
                    runs.get(i).add(timed(nets.get(i), manifest, originals.get(i), sampling, null));
                    progress();
                }
            }
            List<ScalingReport.WidthPoint> out = new ArrayList<>();
            for (int i = 0; i < nets.size(); i++) {
                out.add(new ScalingReport.WidthPoint(multipliers.get(i), parameters(nets.get(i)),
                        nets.get(i).layers().stream().mapToInt(LayerSpec::inputDim).max().orElseThrow(),
                        new Runs(runs.get(i))));
            }
            return out;
        }
    }

    /**
     * Every layer's update computed dense and low-rank from the same inputs: the bases of a random
     * VGG of width {@code k} from its own statistics, as a request would compute them.
     */
    private List<ScalingReport.UpdateRow> updateComparison(int k) {
        try (NDManager m = common.manager(); Network net = Networks.vgg(m, INIT_SEED, k)) {
            Manifest manifest = randomManifest();
            Map<String, Gram> retain = ClassStatistics.captureRetain(net, splits, retained(manifest), sampling)
                    .sum(retained(manifest));
            Dataset forget = sampling.forgetDraw(splits.train(), Set.of(cls));
            Map<String, Gram> forgetGrams = ClassStatistics.toGrams(
                    Inference.grams(net, forget, sampling.positionsPerSample(), sampling.seed()));
            Unlearning.Params params = new Unlearning.Params(alphas.alphaR(), alphas.alphaF(), Forgetter.TOLERANCE);
            Map<String, INDArray> weights = Patches.weights(net);
            List<ScalingReport.UpdateRow> rows = new ArrayList<>();
            for (LayerSpec layer : net.layers()) {
                String w = layer.weight();
                Basis r = Basis.fromGram(retain.get(w), params.alphaR(), params.tolerance());
                Basis f = params.forgetKept(Basis.fromGram(forgetGrams.get(w), params.alphaF(), params.tolerance()));
                rows.add(updateRow(k, layer, weights.get(w), r, f, params));
            }
            return rows;
        }
    }

    private ScalingReport.UpdateRow updateRow(int k, LayerSpec layer, INDArray w, Basis retain, Basis forget,
                                              Unlearning.Params p) {
        INDArray mRetain = Projection.scaled(retain, p.alphaR());
        INDArray mForget = Projection.scaled(forget, p.alphaF());
        // ND4J frees its off-heap d x d temporaries only when the JVM collects their handles; left to
        // pile up across layers they make later layers pay for the earlier ones' deallocation.
        System.gc();
        double[][] ms = new double[3][UPDATE_REPEATS * repeats];
        for (int i = 0; i < ms[0].length; i++) {
            // In turn, so that a burst of load on the shared machine hits all three alike.
            ms[0][i] = millis(() -> Projection.scaled(forget, p.alphaF()));
            ms[1][i] = millis(() -> LayerUpdate.dense(w, mRetain, mForget));
            ms[2][i] = millis(() -> LayerUpdate.lowRank(w, mRetain, forget, p.alphaF()));
        }
        double projectionMs = ScalingReport.median(ms[0]);
        double denseMs = ScalingReport.median(ms[1]);
        double lowRankMs = ScalingReport.median(ms[2]);
        // Compared in double: rounded to W's float32 the two agree bit for bit, which would hide a real error.
        INDArray wide = w.castTo(DataType.DOUBLE);
        LowRankPatch patch = LayerUpdate.lowRank(wide, mRetain, forget, p.alphaF());
        double diff = LayerUpdate.dense(wide, mRetain, mForget).sub(patch.applyTo(wide)).amaxNumber().doubleValue();
        long patchFloats = patch.a().length() + patch.b().length();
        return new ScalingReport.UpdateRow(k, layer.name(), layer.inputDim(), layer.out(), retain.size(),
                forget.size(), denseMs, projectionMs, lowRankMs, patchFloats, w.length(), diff);
    }

    private static double millis(Supplier<Object> work) {
        long t0 = System.nanoTime();
        work.get();
        return (System.nanoTime() - t0) / 1e6;
    }

    private Set<Integer> retained(Manifest manifest) {
        Set<Integer> gone = ForgetSpec.allForgotten(Set.of(cls), manifest.forgottenClasses(), manifest.labels().size());
        return Classes.retained(manifest.labels().size(), gone);
    }

    private static Manifest randomManifest() {
        return new Manifest(Manifest.FORMAT, Architecture.VGG.id(), FashionMnist.LABELS, null, null, null, null,
                List.of(), null, "bench scaling (random init)");
    }

    private static long parameters(Network net) {
        return net.trainableNames().stream().mapToLong(n -> net.get(n).size()).sum();
    }

    private static List<List<Phases>> lists(int n) {
        List<List<Phases>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    private void progress() {
        ProgressBar.items(System.err, "scaling measurements", ++done, total);
    }

    private ScalingReport.Setup setup(String description) {
        String command = "bin/lethe bench scaling" + (model == null ? "" : " --model " + model)
                + " --class " + forgetClass + " --forget-samples " + forgetSamples
                + " --forget-per-request " + forgetPerRequest + " --widths " + widths + " --repeats " + repeats
                + " --retain-per-class " + retainPerClass + " --positions " + positions + " --out " + out;
        return new ScalingReport.Setup(command, Machine.describe(), LocalDate.now().toString(), description,
                model != null, cls + " " + FashionMnist.LABELS.get(cls), alphas.alphaR(), alphas.alphaF(),
                retainPerClass, sampling.forgetSamples(), positions, repeats);
    }

    /** The ratios a reader looks for first; the JSON file beside the markdown holds everything. */
    private void print(List<ScalingReport.SamplePoint> bySamples,
                       List<ScalingReport.WidthPoint> byWidth, ScalingReport.Cache cache,
                       List<ScalingReport.UpdateRow> updates) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("json", ScalingReport.jsonPath(out).toString());
        ObjectNode s = o.putObject("seconds_by_forget_samples");
        bySamples.forEach(p -> s.put(String.valueOf(p.forgetSamples()), p.runs().medianTotal()));
        ObjectNode w = o.putObject("seconds_by_width");
        byWidth.forEach(p -> w.put(p.width() + "x", p.runs().medianTotal()));
        o.put("cold_over_warm", cache.speedup());
        ObjectNode u = o.putObject("dense_over_low_rank_by_width");
        for (ScalingReport.WidthPoint p : byWidth) {
            double dense = updates.stream().filter(r -> r.width() == p.width())
                    .mapToDouble(ScalingReport.UpdateRow::denseMs).sum();
            double low = updates.stream().filter(r -> r.width() == p.width())
                    .mapToDouble(ScalingReport.UpdateRow::lowRankMs).sum();
            u.put(p.width() + "x", dense / low);
        }
        System.out.println(json ? o.toString() : o.toPrettyString());
    }
}
