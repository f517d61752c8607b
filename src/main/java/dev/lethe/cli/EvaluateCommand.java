package dev.lethe.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.ModelFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", description = "Per-class test accuracy, ACC_r / ACC_f and MIA efficacy of a model.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--model", required = true, paramLabel = "DIR") Path model;

    @Option(names = "--forgotten", paramLabel = "C",
            description = "classes to score as forgotten (default: those the manifest lists)")
    List<String> forgotten;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        Splits splits = common.splits(model);
        try (NDManager m = common.manager(); ModelFiles.Loaded loaded = ModelFiles.read(model, m)) {
            List<String> labels = loaded.manifest().labels();
            Set<Integer> gone = forgotten != null ? Common.classes(forgotten, labels)
                    : loaded.manifest().forgottenClasses();
            ClassAccuracy acc = Evaluation.accuracy(loaded.network(), splits.test());
            Double mia = gone.isEmpty() ? null : Evaluation.mia(loaded.network(), splits, gone).efficacy();
            if (json) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("model", model.toString());
                o.put("sha256", loaded.manifest().sha256());
                o.putPOJO("forgotten", gone);
                o.put("accuracy", acc.overall());
                o.setAll(ForgetReport.accuracies(acc, gone));
                if (mia != null) {
                    o.put("mia_efficacy", mia);
                }
                System.out.println(o.toString());
            } else {
                System.out.print(acc.table(labels));
                if (!gone.isEmpty()) {
                    System.out.printf("forgotten %s: ACC_r %.2f%%, ACC_f %.2f%%, MIA efficacy %.1f%%%n", gone,
                            acc.retainAccuracy(gone) * 100, acc.forgetAccuracy(gone) * 100, mia * 100);
                }
            }
        }
        return 0;
    }
}
