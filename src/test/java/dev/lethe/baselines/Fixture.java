package dev.lethe.baselines;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.eval.ClassAccuracy;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.model.Training;
import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One small MLP trained on 2,500 real Fashion-MNIST images (a few seconds), shared by every
 * baseline test of the JVM: each test loads it afresh from its model directory.
 */
public final class Fixture {
    /** Two epochs at batch 64 over 2,500 images: ~80 steps, so that a retrain stays cheap. */
    static final Training.Recipe RECIPE = new Training.Recipe(2, 64, 2e-3, 11);
    /** Trouser: the class every test forgets (the easiest to learn, so "before" is high). */
    public static final int CLASS = 1;

    private static Fixture instance;

    public final NDManager manager = NDManager.newBaseManager();
    /** All of Fashion-MNIST's training and test images, read once. */
    public final Dataset fullTrain;
    public final Dataset fullTest;
    public final Splits splits;
    public final Path modelDir;
    public final ClassAccuracy before;

    private Fixture(Path data) throws IOException {
        fullTrain = FashionMnist.loadTrain(data);
        fullTest = FashionMnist.loadTest(data);
        Dataset train = fullTrain.select(range(3_000));
        Dataset test = fullTest.select(range(2_000));
        splits = Splits.of(train, test, new Splits.Spec(50, 7));
        modelDir = Files.createTempDirectory("lethe-baselines-test-");
        modelDir.toFile().deleteOnExit();
        try (Network net = Architecture.MLP.create(manager, RECIPE.seed())) {
            Training.train(net, splits.train(), RECIPE, Training.Progress.NONE);
            before = Evaluation.accuracy(net, splits.test());
            Manifest m = new Manifest(Manifest.FORMAT, "mlp", FashionMnist.LABELS, RECIPE, null, null, null,
                    List.of(), null, "baselines test");
            ModelFiles.write(modelDir, net, m);
        }
        modelDir.resolve(ModelFiles.WEIGHTS).toFile().deleteOnExit();
        modelDir.resolve(ModelFiles.MANIFEST).toFile().deleteOnExit();
    }

    public static synchronized Fixture get() {
        Path data = Prerequisites.fashionMnist();
        if (instance == null) {
            try {
                instance = new Fixture(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A fresh load of the trained model; close it after use. */
    ModelFiles.Loaded load() {
        try {
            return ModelFiles.read(modelDir, manager);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Every value of the network's state dict, in declaration order, as raw float bits (int64 as is). */
    static List<long[]> bits(Network net) {
        List<long[]> out = new ArrayList<>();
        net.state().forEach((name, a) -> {
            if (a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
                float[] v = a.toFloatArray();
                long[] b = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    b[i] = Float.floatToRawIntBits(v[i]);
                }
                out.add(b);
            } else {
                out.add(a.toLongArray());
            }
        });
        return out;
    }
}
