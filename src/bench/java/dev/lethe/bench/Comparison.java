package dev.lethe.bench;

import dev.lethe.baselines.ForgetData;
import dev.lethe.baselines.LetheMethod;
import dev.lethe.baselines.Outcome;
import dev.lethe.baselines.UnlearningMethod;
import ai.djl.ndarray.NDManager;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.eval.MembershipInference;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every method on every class, each run from a fresh load of one model directory, all judged by
 * {@link Evaluation} on the test split: accuracy per class, and the paper's MIA efficacy.
 *
 * <p>Before anything is timed, one untimed Lethe request on the first class warms up the JIT,
 * PyTorch and ND4J, which the first measured run would otherwise pay for.
 */
public final class Comparison {
    private Comparison() { }

    /** A method and the classes it is run on (one request per class). */
    public record Plan(UnlearningMethod method, List<Integer> classes) { }

    /** One method forgetting one class, with the measurements. */
    public record Run(String method, int cls, Outcome outcome, ClassAccuracy after, MembershipInference.Result mia) { }

    /**
     * All runs of one comparison.
     *
     * @param before the model's own test accuracy
     * @param originalMia MIA efficacy of the untouched model, per class run (what the attack sees without unlearning)
     * @param descriptions each method's one-sentence description, by id, in plan order
     */
    public record Result(Path model, Manifest manifest, ClassAccuracy before,
                         Map<Integer, MembershipInference.Result> originalMia, Map<String, String> descriptions,
                         Map<String, List<Integer>> classes, List<Run> runs) { }

    /** Told about each run as it starts and ends (the CLI prints progress from it). */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void warmingUp() { }

        default void starting(String method, int cls, int index, int total) { }

        default void finished(Run run, int index, int total) { }
    }

    public static Result run(Path modelDir, NDManager manager, Splits splits, List<Plan> plans, Listener listener)
            throws IOException {
        Map<String, String> descriptions = new LinkedHashMap<>();
        Map<String, List<Integer>> classes = new LinkedHashMap<>();
        TreeMap<Integer, List<UnlearningMethod>> byClass = new TreeMap<>();
        for (Plan p : plans) {
            descriptions.put(p.method().id(), p.method().description());
            classes.put(p.method().id(), List.copyOf(p.classes()));
            p.classes().forEach(c -> byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(p.method()));
        }
        if (byClass.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: no method has a class");
        }
        int total = byClass.values().stream().mapToInt(List::size).sum();
        Original original = original(modelDir, manager, splits, byClass.keySet(), listener);
        List<Run> runs = new ArrayList<>();
        for (Map.Entry<Integer, List<UnlearningMethod>> e : byClass.entrySet()) {
            for (UnlearningMethod m : e.getValue()) {
                listener.starting(m.id(), e.getKey(), runs.size() + 1, total);
                runs.add(measure(modelDir, manager, splits, m, e.getKey()));
                listener.finished(runs.get(runs.size() - 1), runs.size(), total);
            }
        }
        return new Result(modelDir, original.manifest(), original.before(), original.mia(), descriptions, classes,
                runs);
    }

    private record Original(Manifest manifest, ClassAccuracy before, Map<Integer, MembershipInference.Result> mia) { }

    /** The untouched model's accuracy and per-class MIA, then the untimed warm-up request. */
    private static Original original(Path modelDir, NDManager manager, Splits splits, Set<Integer> classes,
                                     Listener listener) throws IOException {
        try (ModelFiles.Loaded loaded = ModelFiles.read(modelDir, manager)) {
            Manifest manifest = loaded.manifest();
            listener.warmingUp();
            ClassAccuracy before = Evaluation.accuracy(loaded.network(), splits.test());
            Map<Integer, MembershipInference.Result> mia = new TreeMap<>();
            for (int c : classes) {
                mia.put(c, Evaluation.mia(loaded.network(), splits, ForgetData.validate(manifest, Set.of(c))));
            }
            int first = classes.iterator().next();
            new LetheMethod(Sampling.DEFAULT, null).run(loaded.network(), manifest, splits, Set.of(first),
                    Sampling.DEFAULT.seed());
            return new Original(manifest, before, mia);
        }
    }

    /** One request on a fresh load, then the measurements. */
    private static Run measure(Path modelDir, NDManager manager, Splits splits, UnlearningMethod m, int cls)
            throws IOException {
        try (ModelFiles.Loaded loaded = ModelFiles.read(modelDir, manager)) {
            Outcome o = m.run(loaded.network(), loaded.manifest(), splits, Set.of(cls), m.defaultSeed(loaded.manifest()));
            ClassAccuracy after = Evaluation.accuracy(loaded.network(), splits.test());
            return new Run(m.id(), cls, o, after, Evaluation.mia(loaded.network(), splits, o.allForgotten()));
        }
    }
}
