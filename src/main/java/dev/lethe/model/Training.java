package dev.lethe.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.lethe.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;

/** Mini-batch training with Adam and a cosine learning-rate schedule. */
public final class Training {
    private Training() { }

    /** How a model was trained; stored in its manifest so anyone can retrain it the same way. */
    public record Recipe(int epochs, int batchSize, double learningRate, long seed) {
        public Recipe {
            if (epochs < 1 || batchSize < 2 || !(learningRate > 0)) {
                throw new IllegalArgumentException("recipe needs epochs >= 1, batch size >= 2, learning rate > 0");
            }
        }

        public static Recipe defaults(Architecture arch) {
            return new Recipe(arch.defaultEpochs(), 128, 2e-3, 42);
        }
    }

    /** Told after every step; the CLI draws a progress bar from it. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (epoch, epochs, step, steps, loss) -> { };

        void onStep(int epoch, int epochs, int step, int steps, double loss);
    }

    public static void train(Network net, Dataset data, Recipe recipe, Progress progress) {
        Engine.getInstance().setRandomSeed((int) recipe.seed());
        int steps = data.size() / recipe.batchSize(); // drop the last partial batch: BatchNorm needs > 1
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.cosine()
                        .setBaseValue((float) recipe.learningRate())
                        .optFinalValue((float) (recipe.learningRate() / 100))
                        .setMaxUpdates(steps * recipe.epochs())
                        .build())
                .build();
        List<String> trainable = net.trainableNames();
        for (String name : trainable) {
            net.get(name).setRequiresGradient(true);
        }
        Loss loss = Loss.softmaxCrossEntropyLoss();
        SplittableRandom rng = new SplittableRandom(recipe.seed());
        try {
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                int[] order = permutation(data.size(), rng);
                for (int step = 0; step < steps; step++) {
                    int from = step * recipe.batchSize();
                    double l = step(net, data, order, from, from + recipe.batchSize(), loss, adam, trainable);
                    progress.onStep(epoch + 1, recipe.epochs(), step + 1, steps, l);
                    checkFinite(l, epoch + 1, step + 1, recipe);
                }
            }
        } finally {
            for (String name : trainable) {
                net.get(name).setRequiresGradient(false);
            }
        }
    }

    /** A loss that is NaN or infinite never recovers under Adam: stop instead of training on for hours. */
    private static void checkFinite(double loss, int epoch, int step, Recipe recipe) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("training diverged: the loss is " + loss + " at epoch " + epoch + ", step "
                    + step + " (learning rate " + recipe.learningRate() + ", batch " + recipe.batchSize()
                    + "); nothing was written");
        }
    }

    private static double step(Network net, Dataset data, int[] order, int from, int to, Loss loss,
                                                          Optimizer adam, List<String> trainable) {
        try (NDManager batch = net.manager().newSubManager()) {
            NDArray x = Batches.images(batch, data, order, from, to);
            NDArray y = Batches.labels(batch, data, order, from, to);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.logits(x, true, LayerTap.NONE);
                NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
                gc.backward(l);
                value = l.getFloat();
            }
            for (String name : trainable) {
                NDArray p = net.get(name);
                adam.update(name, p, p.getGradient());
            }
            return value;
        }
    }

    /** A uniform random order of {@code n} indices (Fisher-Yates), drawn from {@code rng}. */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
