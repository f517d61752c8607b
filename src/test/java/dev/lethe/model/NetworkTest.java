package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkTest {

    @Test
    void batchNormFollowsPyTorchMomentumConvention() {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.RESNET.create(m, 1)) {
            NDArray images = TestData.realImages(m, 8);
            net.logits(images, true, LayerTap.NONE);
            // PyTorch: running_mean = 0.9 * 0 + 0.1 * batch_mean, so it must move off zero but stay
            // well inside the batch mean's range, and running_var must move from 1 towards the batch var.
            float[] mean = net.get("bn1.running_mean").toFloatArray();
            float[] var = net.get("bn1.running_var").toFloatArray();
            assertEquals(1L, net.get("bn1.num_batches_tracked").getLong());
            NDArray conv = ai.djl.nn.convolutional.Conv2d.conv2d(
                    images.sub((float) Descriptions.FASHION_MEAN).div((float) Descriptions.FASHION_STD), net.get("conv1.weight"), null,
                    new ai.djl.ndarray.types.Shape(1, 1), new ai.djl.ndarray.types.Shape(1, 1)).singletonOrThrow();
            float[] batchMean = conv.transpose(1, 0, 2, 3).reshape(mean.length, -1).mean(new int[] {1}).toFloatArray();
            for (int c = 0; c < mean.length; c++) {
                assertEquals(0.1f * batchMean[c], mean[c], 1e-4f, "running mean of channel " + c);
                assertTrue(var[c] != 1f, "running var moved");
            }
        }
    }

    /**
     * A forward pass whose input lives in a per-batch manager leaves nothing behind in the
     * network's own: otherwise every training step and every request keeps its activations
     * (the ViT's class token once took a whole encoder's with it, 23 GB in 60 training steps).
     */
    @ParameterizedTest
    @MethodSource("dev.lethe.model.Architecture#shipped")
    void aForwardPassLeavesNothingInTheNetworksManager(Architecture arch) {
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 3)) {
            ai.djl.ndarray.BaseNDManager own = (ai.djl.ndarray.BaseNDManager) net.manager();
            int before = own.getManagedArrays().size();
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager batch = net.manager().newSubManager()) {
                    net.logits(TestData.realImages(batch, 2), training, LayerTap.NONE);
                }
            }
            assertEquals(before, own.getManagedArrays().size(), arch.id() + " left arrays in the network's manager");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.lethe.model.Architecture#shipped")
    void safetensorsRoundTripIsExactAndDeterministic(Architecture arch, @TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 3)) {
            NDArray images = TestData.realImages(m, 4);
            net.logits(images, true, LayerTap.NONE); // move BatchNorm buffers off their defaults
            float[] before = net.logits(images, false, LayerTap.NONE).toFloatArray();
            Manifest written = ModelFiles.write(dir, net, manifest(arch));
            assertEquals(ModelFiles.sha256(Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS))), written.sha256());
            assertArrayEquals(ModelFiles.weightBytes(net), Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS)));
            try (ModelFiles.Loaded loaded = ModelFiles.read(dir, m)) {
                float[] after = loaded.network().logits(images, false, LayerTap.NONE).toFloatArray();
                assertArrayEquals(before, after);
                assertEquals(written.sha256(), ModelFiles.sha256(ModelFiles.weightBytes(loaded.network())));
            }
        }
    }

    @Test
    void tamperedWeightsAreRefused(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 3)) {
            ModelFiles.write(dir, net, manifest(Architecture.MLP));
            byte[] bytes = Files.readAllBytes(dir.resolve(ModelFiles.WEIGHTS));
            bytes[bytes.length - 1] ^= 1;
            Files.write(dir.resolve(ModelFiles.WEIGHTS), bytes);
            IOException e = assertThrows(IOException.class, () -> ModelFiles.read(dir, m));
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        }
    }

    @Test
    void shortTrainingLearnsRealData() {
        Dataset test = TestData.testSet();
        int[] first = new int[3000];
        int[] rest = new int[2000];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        for (int i = 0; i < rest.length; i++) {
            rest[i] = 5000 + i;
        }
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.MLP.create(m, 5)) {
            Training.train(net, test.select(first), new Training.Recipe(2, 64, 2e-3, 5), Training.Progress.NONE);
            Dataset heldOut = test.select(rest);
            int[] predicted = Inference.score(net, heldOut).predicted();
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == heldOut.labels()[i] ? 1 : 0;
            }
            assertTrue(correct > 0.7 * predicted.length, "accuracy " + correct / (double) predicted.length);
        }
    }

    private static Manifest manifest(Architecture arch) {
        return new Manifest(Manifest.FORMAT, arch.id(), List.of("a", "b"), Training.Recipe.defaults(arch),
                null, null, null, List.of(), null, "test");
    }
}
