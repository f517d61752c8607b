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
 * Fine-tuning: a few epochs of ordinary training on the retain data, starting from the model;
 * the forgotten classes fade because nothing reminds the network of them (catastrophic
 * forgetting). "Ordinary" means the base model's own recipe (Adam, its batch size and peak
 * learning rate, cosine decay over the fine-tuning steps) with fewer epochs: {@value
 * #DEFAULT_EPOCHS} by default, half of the shipped VGG's four, so that it costs about half a
 * retrain.
 */
public final class FineTune implements UnlearningMethod {
    public static final String ID = "finetune";
    public static final int DEFAULT_EPOCHS = 2;
    private final int epochs;
    private final Training.Progress progress;

    public FineTune(int epochs, Training.Progress progress) {
        if (epochs < 1) {
            throw new IllegalArgumentException("fine-tuning needs at least one epoch, got " + epochs);
        }
        this.epochs = epochs;
        this.progress = progress;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return epochs + " epoch" + (epochs == 1 ? "" : "s") + " of the base model's recipe (Adam, same batch size "
                + "and peak learning rate, cosine decay) on the retain data, starting from the model";
    }

    @Override
    public Outcome run(Network net, Manifest manifest, Splits splits, Set<Integer> forget, long seed) {
        long t0 = System.nanoTime();
        Set<Integer> all = ForgetData.validate(manifest, forget);
        Training.Recipe base = ForgetData.recipe(manifest);
        Training.Recipe recipe = new Training.Recipe(epochs, base.batchSize(), base.learningRate(), seed);
        Dataset retain = ForgetData.retain(splits.train(), all);
        long t1 = System.nanoTime();
        Training.train(net, retain, recipe, progress);
        long t2 = System.nanoTime();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", epochs);
        settings.put("batch_size", recipe.batchSize());
        settings.put("learning_rate", recipe.learningRate());
        settings.put("seed", seed);
        settings.put("retain_samples", retain.size());
        return new Outcome(ID, forget, all, (t2 - t0) / 1e9,
                Outcome.phases("data", (t1 - t0) / 1e9, "train", (t2 - t1) / 1e9), settings);
    }
}
