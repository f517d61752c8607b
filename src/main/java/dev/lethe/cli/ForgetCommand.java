package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.baselines.LetheMethod;
import dev.lethe.baselines.Methods;
import dev.lethe.baselines.Outcome;
import dev.lethe.baselines.UnlearningMethod;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.engine.Forgetter;
import dev.lethe.engine.MeasuredForget;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.eval.MembershipInference;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", description = "Make a model forget one or more classes; writes the new model.")
final class ForgetCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;

    @Option(names = "--class", required = true, paramLabel = "C", description = "index or label; repeatable")
    List<String> classes;

    @Option(names = "--method", defaultValue = LetheMethod.ID,
            description = "lethe (default), lethe-cached, lethe-paper, retrain, finetune, neggrad+ or ssd;"
                    + " see docs/results.md")
    String method;

    @Option(names = "--seed", description = "seeds the method (default: Lethe's sampling seed; for the other "
            + "methods the model's training seed)")
    Long seed;

    @Option(names = "--alpha-r", description = "retain scaling (default: the model's tuned value)") Double alphaR;

    @Option(names = "--alpha-f", description = "forget scaling (default: the model's tuned value)") Double alphaF;

    @Option(names = "--samples", description = "lethe: forget-side training images (default: ${DEFAULT-VALUE})",
            defaultValue = "900") int samples;

    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Option(names = "--costs", description = "print where the unlearning time went, layer by layer, to stderr")
    boolean costs;

    @Override
    public Integer call() throws Exception {
        Splits splits = common.splits(model);
        if (!method.trim().equalsIgnoreCase(LetheMethod.ID)) {
            return baseline(splits, Methods.create(method, new ProgressBar(System.err)));
        }
        Sampling sampling = Sampling.DEFAULT.withForgetSamples(samples);
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, m)) {
            Manifest manifest = loaded.manifest();
            Set<Integer> forget = Common.classes(classes, manifest.labels());
            ForgetSpec spec = ForgetJob.spec(manifest, forget, override(manifest, forget),
                    seed != null ? sampling.withSeed(seed) : sampling);
            MeasuredForget run = MeasuredForget.run(loaded.network(), manifest, splits, spec, null);
            ForgetJob.Result r = run.result();
            if (costs) {
                printCosts(r);
            }
            ClassAccuracy before = run.before();
            ClassAccuracy after = run.after();
            MembershipInference.Result mia = run.mia();
            Manifest written = ModelFiles.write(out, loaded.network(), manifest.derived(null,
                    TrainCommand.accuracy(after), new ArrayList<>(r.allForgotten()), "lethe forget"));
            ModelFiles.writeData(out, common.ownData(model).orElse(null));
            ObjectNode report = JsonNodeFactory.instance.objectNode().put("model", model.toString())
                    .put("method", LetheMethod.ID);
            report.setAll(ForgetReport.json(model.toString(), r, before, after, mia, written.sha256()));
            if (json) {
                System.out.println(report.toString());
            } else {
                System.out.print(ClassAccuracy.comparison(before, after, manifest.labels(), r.allForgotten()));
                System.out.printf("alpha_r %s, alpha_f %s, forget rank %d (%s); MIA efficacy %.1f%%; "
                        + "unlearning took %.2f s%n", r.alphas().alphaR(), r.alphas().alphaF(), r.forgetRank(),
                        r.alphas().selectedBy(), mia.efficacy() * 100, r.outcome().computeSeconds());
                System.out.println("new model: " + out + " (sha256 " + written.sha256() + ")");
            }
        }
        return 0;
    }

    /** A baseline method: the same measurements and the same JSON, alphas null. */
    private Integer baseline(Splits splits, UnlearningMethod m) throws Exception {
        if (alphaR != null || alphaF != null || costs) {
            throw new IllegalArgumentException("--alpha-r, --alpha-f and --costs apply to --method lethe only");
        }
        try (NDManager mg = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, mg)) {
            Manifest manifest = loaded.manifest();
            Set<Integer> forget = Common.classes(classes, manifest.labels());
            ClassAccuracy before = Evaluation.accuracy(loaded.network(), splits.test());
            Outcome o = m.run(loaded.network(), manifest, splits, forget, seed != null ? seed : m.defaultSeed(manifest));
            ClassAccuracy after = Evaluation.accuracy(loaded.network(), splits.test());
            MembershipInference.Result mia = Evaluation.mia(loaded.network(), splits, o.allForgotten());
            Manifest written = ModelFiles.write(out, loaded.network(), manifest.derived(null,
                    TrainCommand.accuracy(after), new ArrayList<>(o.allForgotten()), "lethe forget --method " + m.id()));
            ModelFiles.writeData(out, common.ownData(model).orElse(null));
            if (json) {
                System.out.println(baselineJson(o, before, after, mia, written.sha256()).toString());
            } else {
                System.out.print(ClassAccuracy.comparison(before, after, manifest.labels(), o.allForgotten()));
                System.out.printf("%s %s; MIA efficacy %.1f%%; unlearning took %.2f s%n", m.id(), o.settings(),
                        mia.efficacy() * 100, o.seconds());
                System.out.println("new model: " + out + " (sha256 " + written.sha256() + ")");
            }
        }
        return 0;
    }

    /** ForgetReport's keys, in its order; no alphas, the method's own phases and settings instead. */
    private ObjectNode baselineJson(Outcome o, ClassAccuracy before, ClassAccuracy after,
                                    MembershipInference.Result mia, String sha256) {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("model", model.toString());
        j.put("method", o.method());
        o.forgotten().forEach(j.putArray("forgotten")::add);
        for (String key : ForgetReport.LETHE_SETTINGS) {
            // Null for a method without the setting; lethe-paper and lethe-cached have them all.
            j.set(key, ModelFiles.JSON.valueToTree(o.settings().get(key)));
        }
        j.set("before", ForgetReport.accuracies(before, o.allForgotten()));
        j.set("after", ForgetReport.accuracies(after, o.allForgotten()));
        j.put("mia_efficacy", mia.efficacy());
        j.put("unlearn_seconds", o.seconds());
        j.set("seconds", ModelFiles.JSON.valueToTree(o.phases()));
        j.set("settings", ModelFiles.JSON.valueToTree(o.settings()));
        j.put("sha256", sha256);
        return j;
    }

    private static void printCosts(ForgetJob.Result r) {
        Forgetter.Outcome o = r.outcome();
        System.err.printf("retain statistics %.3f s, forget statistics %.3f s, eigen %.3f s, update %.3f s%n",
                o.retainCaptureSeconds(), o.forgetCaptureSeconds(), o.eigenSeconds(), o.updateSeconds());
        System.err.println("  layer                      d   retain eigen ms  kept   forget eigen ms  kept");
        for (Forgetter.LayerCost c : o.layers()) {
            System.err.printf("  %-24s %4d   %14.1f  %4d   %14.1f  %4d%n", c.layer(), c.dim(), c.retainEigenMs(),
                    c.retainRank(), c.forgetEigenMs(), c.forgetRank());
        }
    }

    private Manifest.Alphas override(Manifest manifest, Set<Integer> forget) {
        if (alphaR == null && alphaF == null) {
            return null;
        }
        Manifest.Alphas tuned = manifest.alphaTable().choose(forget);
        return new Manifest.Alphas(alphaR != null ? alphaR : tuned.alphaR(), alphaF != null ? alphaF : tuned.alphaF(),
                "command line");
    }
}
