package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
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

    @Option(names = "--alpha-r", description = "retain scaling (default: the model's tuned value)") Double alphaR;

    @Option(names = "--alpha-f", description = "forget scaling (default: the model's tuned value)") Double alphaF;

    @Option(names = "--samples", description = "forget-side training images (default: ${DEFAULT-VALUE})",
            defaultValue = "900") int samples;

    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        Splits splits = common.splits();
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, m)) {
            Manifest manifest = loaded.manifest();
            Set<Integer> forget = Common.classes(classes, manifest.labels());
            Manifest.Alphas override = override(manifest, forget);
            ClassAccuracy before = Evaluation.accuracy(loaded.network(), splits.test());
            ForgetJob.Result r = ForgetJob.run(loaded.network(), manifest, splits, forget, override,
                    Sampling.DEFAULT.withForgetSamples(samples), null);
            ClassAccuracy after = Evaluation.accuracy(loaded.network(), splits.test());
            MembershipInference.Result mia = Evaluation.mia(loaded.network(), splits, r.allForgotten());
            Manifest written = ModelFiles.write(out, loaded.network(), manifest.derived(null,
                    TrainCommand.accuracy(after), new ArrayList<>(r.allForgotten()), "lethe forget"));
            ObjectNode report = ForgetReport.json(model.toString(), r, before, after, mia, written.sha256());
            if (json) {
                System.out.println(report.toString());
            } else {
                System.out.print(ClassAccuracy.comparison(before, after, manifest.labels(), r.allForgotten()));
                System.out.printf("alpha_r %s, alpha_f %s (%s); MIA efficacy %.1f%%; unlearning took %.2f s%n",
                        r.alphas().alphaR(), r.alphas().alphaF(), r.alphas().selectedBy(), mia.efficacy() * 100,
                        r.outcome().computeSeconds());
                System.out.println("new model: " + out + " (sha256 " + written.sha256() + ")");
            }
        }
        return 0;
    }

    private Manifest.Alphas override(Manifest manifest, Set<Integer> forget) {
        if (alphaR == null && alphaF == null) {
            return null;
        }
        Manifest.Alphas tuned = ForgetJob.chooseAlphas(manifest, forget);
        return new Manifest.Alphas(alphaR != null ? alphaR : tuned.alphaR(), alphaF != null ? alphaF : tuned.alphaF(),
                "command line");
    }
}
