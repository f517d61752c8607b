package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.data.Dataset;
import java.util.Map;

/** Inference passes: predictions, true-label probabilities, and activation statistics. */
public final class Inference {
    private static final int BATCH = 500;
    /** Unfolded conv inputs grow with the batch (N x C*k*k x H*W); small batches stay in cache. */
    private static final int CAPTURE_BATCH = 100;

    private Inference() { }

    /** Predicted class and the probability given to the true label, for every sample. */
    public record Scores(int[] predicted, double[] trueLabelProbability) { }

    public static Scores score(Network net, Dataset data) {
        int n = data.size();
        int[] predicted = new int[n];
        double[] trueProb = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            try (NDManager batch = net.manager().newSubManager()) {
                NDArray probs = net.logits(Batches.images(batch, data, null, from, to), false, LayerTap.NONE)
                        .softmax(1);
                float[] p = probs.toFloatArray();
                int classes = Math.toIntExact(probs.getShape().get(1));
                for (int i = from; i < to; i++) {
                    int row = (i - from) * classes;
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (p[row + c] > p[row + best]) {
                            best = c;
                        }
                    }
                    predicted[i] = best;
                    trueProb[i] = p[row + data.labels()[i]];
                }
            }
        }
        return new Scores(predicted, trueProb);
    }

    /**
     * Gram matrices of every Conv2d/Linear input over {@code data}, in inference mode (BatchNorm on
     * running statistics).
     */
    public static Map<String, LayerGram> grams(Network net, Dataset data, int positionsPerSample, long seed) {
        try (GramCapture capture = new GramCapture(net.manager(), positionsPerSample, seed)) {
            for (int from = 0; from < data.size(); from += CAPTURE_BATCH) {
                int to = Math.min(data.size(), from + CAPTURE_BATCH);
                try (NDManager batch = net.manager().newSubManager()) {
                    capture.beginBatch(to - from);
                    net.logits(Batches.images(batch, data, null, from, to), false, capture);
                }
            }
            return capture.result();
        }
    }

}
