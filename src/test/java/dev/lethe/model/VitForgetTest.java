package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Vision Transformer forgets a class with the whole engine: its attention in-projections,
 * out-projections, MLPs, patch embedding and head are edited with one input column per token.
 * The model is a small ViT trained briefly on real Fashion-MNIST padded to 32x32 (the network
 * repeats the grey channel into its three, as DescriptionTest checks).
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VitForgetTest {
    private static final int TROUSER = 1;

    @Test
    void aSmallVitForgetsTrousersAndKeepsTheOtherClasses() throws IOException {
        TestData.requireDataset();
        Splits full = FashionMnist.load(TestData.DIR);
        Splits splits = Splits.of(padded(first(full.train(), 16_000)), padded(first(full.test(), 5_000)),
                new Splits.Spec(100, 1));
        Architecture arch = TokenCaptureTest.small();
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 5)) {
            long t0 = System.nanoTime();
            Training.train(net, splits.train(), new Training.Recipe(1, 64, 2e-3, 5), Training.Progress.NONE);
            long t1 = System.nanoTime();
            ClassAccuracy before = Evaluation.accuracy(net, splits.test());
            assertTrue(before.perClass(TROUSER) > 0.8, "the trained ViT knows trousers: " + before.perClass(TROUSER));
            Manifest manifest = Manifest.of(arch, FashionMnist.LABELS, null, null, "test");
            ForgetJob.Result r = ForgetJob.run(net, manifest, splits, Set.of(TROUSER), null, Sampling.DEFAULT, null);
            long t2 = System.nanoTime();
            ClassAccuracy after = Evaluation.accuracy(net, splits.test());
            Set<Integer> gone = Set.of(TROUSER);
            System.out.printf("ViT %s: trained %.1f s, forgot in %.1f s; overall %.3f; trousers %.3f -> %.3f, "
                    + "others %.3f -> %.3f%n", arch.id(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, before.overall(),
                    before.perClass(TROUSER), after.perClass(TROUSER), before.retainAccuracy(gone),
                    after.retainAccuracy(gone));
            assertEquals(net.layers().size(), r.outcome().patches().size(), "every edited layer has a patch");
            assertTrue(after.forgetAccuracy(gone) < 0.05, "trouser accuracy after: " + after.forgetAccuracy(gone));
            assertTrue(before.retainAccuracy(gone) - after.retainAccuracy(gone) < 0.05,
                    "others: " + before.retainAccuracy(gone) + " -> " + after.retainAccuracy(gone));
        }
    }

    private static Dataset first(Dataset d, int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return d.select(rows);
    }

    /** 28x28 images in the middle of 32x32 black ones. */
    static Dataset padded(Dataset d) {
        int side = 32;
        int offset = (side - d.rows()) / 2;
        float[] px = new float[d.size() * side * side];
        for (int i = 0; i < d.size(); i++) {
            for (int y = 0; y < d.rows(); y++) {
                System.arraycopy(d.pixels(), (i * d.rows() + y) * d.cols(), px,
                        (i * side + y + offset) * side + offset, d.cols());
            }
        }
        return new Dataset(px, d.labels().clone(), side, side, d.numClasses());
    }

}
