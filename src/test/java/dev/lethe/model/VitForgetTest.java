package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.engine.Evaluation;
import dev.lethe.engine.ForgetJob;
import dev.lethe.engine.Sampling;
import dev.lethe.eval.ClassAccuracy;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Vision Transformer forgets a class with the whole engine: its attention in-projections,
 * out-projections, MLPs, patch embedding and head are edited, one input column per token. The
 * model is a small ViT (16 patches of 8x8, two blocks 32 wide) trained for one epoch on 16,000
 * real Fashion-MNIST images padded to 32x32 (the network repeats the grey channel into its
 * three, as DescriptionTest checks), about 74% accurate.
 *
 * <p>The alphas, 30/30 with 4 forget directions, are what the validation grid search
 * (bin/lethe tune) chooses for this model. Small, briefly trained ViTs keep less of the other
 * classes than the CNNs do: measured here, trousers fall from 93% to 2.5% while the other
 * classes lose 12 points (the paper's ImageNet ViT loses about 1.5). The bounds below catch a
 * broken token capture or update (which forgets nothing or everything), not that gap; see
 * docs/architectures.md.
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VitForgetTest {
    private static final int TROUSER = 1;

    @Test
    void aSmallVitForgetsTrousersAndKeepsMostOfTheOtherClasses() throws IOException {
        TestData.requireDataset();
        Splits full = FashionMnist.load(TestData.DIR);
        Splits splits = Splits.of(padded(first(full.train(), 16_000)), padded(first(full.test(), 5_000)),
                new Splits.Spec(100, 1));
        Architecture arch = TokenCaptureTest.small();
        // Hundreds of small ops per step: with two intra-op threads on a shared machine each op
        // waits for a descheduled thread (docs CONTENTION), and training runs ~10x slower.
        Engine.getInstance(); // loads libtorch, whose thread count JniUtils sets
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try (NDManager m = NDManager.newBaseManager(); Network net = arch.create(m, 5)) {
            long t0 = System.nanoTime();
            Training.train(net, splits.train(), new Training.Recipe(1, 64, 2e-3, 5), Training.Progress.NONE);
            long t1 = System.nanoTime();
            ClassAccuracy before = Evaluation.accuracy(net, splits.test());
            assertTrue(before.perClass(TROUSER) > 0.8, "the trained ViT knows trousers: " + before.perClass(TROUSER));
            Manifest manifest = Manifest.of(arch, FashionMnist.LABELS, null, null, "test");
            ForgetJob.Result r = ForgetJob.run(net, manifest, splits, Set.of(TROUSER),
                    new Manifest.Alphas(30, 30, "validation grid search for this model", 4), Sampling.DEFAULT, null);
            long t2 = System.nanoTime();
            ClassAccuracy after = Evaluation.accuracy(net, splits.test());
            Set<Integer> gone = Set.of(TROUSER);
            double forgetDrop = before.forgetAccuracy(gone) - after.forgetAccuracy(gone);
            double retainDrop = before.retainAccuracy(gone) - after.retainAccuracy(gone);
            System.out.printf("ViT %s: trained %.1f s, forgot in %.1f s; overall %.3f; trousers %.3f -> %.3f, "
                    + "others %.3f -> %.3f%n", arch.id(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, before.overall(),
                    before.perClass(TROUSER), after.perClass(TROUSER), before.retainAccuracy(gone),
                    after.retainAccuracy(gone));
            assertEquals(net.layers().size(), r.outcome().patches().size(), "every edited layer has a patch");
            assertTrue(after.forgetAccuracy(gone) < 0.10, "trouser accuracy after: " + after.forgetAccuracy(gone));
            assertTrue(retainDrop < 0.15, "others: " + before.retainAccuracy(gone) + " -> " + after.retainAccuracy(gone));
            assertTrue(forgetDrop > 5 * Math.max(retainDrop, 0.01), "the edit is specific to trousers");
        } finally {
            JniUtils.setNumThreads(threads);
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
        float[] src = d.pixels(); // a fresh copy on every call: once, not once per row
        for (int i = 0; i < d.size(); i++) {
            for (int y = 0; y < d.rows(); y++) {
                System.arraycopy(src, (i * d.rows() + y) * d.cols(), px,
                        (i * side + y + offset) * side + offset, d.cols());
            }
        }
        return new Dataset(px, d.labels().clone(), side, side, d.numClasses());
    }

}
