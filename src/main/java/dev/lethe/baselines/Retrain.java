package dev.lethe.baselines;

import dev.lethe.data.Dataset;
import dev.lethe.data.Splits;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gold standard: a fresh network of the same architecture, trained from scratch on the
 * retain data only (the training split less every forgotten class) with the base model's recipe
 * (epochs, batch size, learning rate, Adam with cosine decay), then copied over the model. With
 * the default seed, the base model's own, it starts from the very weights the base model started
 * from, so it differs from the base model only by the data it never saw.
 */
public final class Retrain implements UnlearningMethod {
    public static final String ID = "retrain";
    private final Training.Progress progress;

    public Retrain(Training.Progress progress) {
        this.progress = progress;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "a fresh network trained from scratch on the retain data only, with the base model's recipe "
                + "(epochs, batch size, learning rate, Adam with cosine decay; seed: the recipe's)";
    }

    @Override
    public Outcome run(Network net, Manifest manifest, Splits splits, Set<Integer> forget, long seed) {
        long t0 = System.nanoTime();
        Set<Integer> all = ForgetData.validate(manifest, forget);
        Training.Recipe base = ForgetData.recipe(manifest);
        Training.Recipe recipe = new Training.Recipe(base.epochs(), base.batchSize(), base.learningRate(), seed);
        Dataset retain = ForgetData.retain(splits.train(), all);
        long t1 = System.nanoTime();
        try (Network fresh = net.architecture().create(net.manager(), seed)) {
            Training.train(fresh, retain, recipe, progress);
            net.load(fresh.toNDList());
        }
        long t2 = System.nanoTime();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", recipe.epochs());
        settings.put("batch_size", recipe.batchSize());
        settings.put("learning_rate", recipe.learningRate());
        settings.put("seed", seed);
        settings.put("retain_samples", retain.size());
        return new Outcome(ID, forget, all, (t2 - t0) / 1e9,
                Outcome.phases("data", (t1 - t0) / 1e9, "train", (t2 - t1) / 1e9), settings);
    }
}
