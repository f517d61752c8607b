package dev.lethe.jmh;

import dev.lethe.unlearn.Gram;
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
 * Gram accumulation of one capture batch: {@code columns} input vectors of dimension {@code dim}
 * (3,200 = 100 images x 32 conv patches, a request's batch). {@code dsyrk} is Gram.of's route;
 * {@code gemm} is the plain R R^T it replaced, kept to check that dsyrk still wins; {@code plus}
 * is adding a batch's Gram into the running sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class GramBenchmark {
    @Param({"576", "1152"})
    public int dim;

    @Param("3200")
    public int columns;

    private INDArray r;
    private Gram running;
    private Gram batch;

    @Setup
    public void setUp() {
        r = Matrices.activations(1, dim, columns);
        batch = Gram.of(r);
        running = Gram.of(Matrices.activations(2, dim, columns));
    }

    @Benchmark
    public Gram dsyrk() {
        return Gram.of(r);
    }

    @Benchmark
    public INDArray gemm() {
        return r.mmul(r.transpose());
    }

    @Benchmark
    public Gram plus() {
        return running.plus(batch);
    }
}
