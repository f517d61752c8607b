package dev.lethe.jmh;

import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.LayerUpdate;
import dev.lethe.unlearn.LowRankPatch;
import dev.lethe.unlearn.Projection;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One layer's weight update from the same inputs, dense against low-rank. {@code dense} is
 * handed M_f ready-made; {@code denseFromBasis} builds it from the kept forget directions first,
 * as a caller holding only the basis must; {@code lowRank} needs no M_f. {@code forgetRank} is
 * the number k of forget directions kept: 4 is the processor's default cap, larger values what
 * an untruncated request keeps on wide layers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class UpdateBenchmark {
    private static final double ALPHA_R = 100;
    private static final double ALPHA_F = 3;

    @Param({"576", "1152"})
    public int dim;

    @Param("128")
    public int out;

    @Param({"4", "64", "288"})
    public int forgetRank;

    private INDArray w;
    private INDArray mRetain;
    private INDArray mForget;
    private Basis forget;

    @Setup
    public void setUp() {
        w = Matrices.weight(4, out, dim);
        mRetain = Projection.scaled(Matrices.basis(5, dim), ALPHA_R);
        forget = Matrices.basis(6, dim).leading(Math.min(forgetRank, dim));
        mForget = Projection.scaled(forget, ALPHA_F);
    }

    @Benchmark
    public INDArray dense() {
        return LayerUpdate.dense(w, mRetain, mForget);
    }

    @Benchmark
    public INDArray denseFromBasis() {
        return LayerUpdate.dense(w, mRetain, Projection.scaled(forget, ALPHA_F));
    }

    @Benchmark
    public LowRankPatch lowRank() {
        return LayerUpdate.lowRank(w, mRetain, forget, ALPHA_F);
    }
}
