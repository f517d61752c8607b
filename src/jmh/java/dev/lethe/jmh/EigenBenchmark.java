package dev.lethe.jmh;

import dev.lethe.unlearn.Basis;
import dev.lethe.unlearn.Gram;
import java.util.concurrent.TimeUnit;
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
 * The symmetric eigen-decomposition of a layer's Gram (LAPACK dsyevd through Basis.fromGram):
 * {@code full} keeps every direction, {@code kept} the ones a request keeps (the paper's
 * CIFAR-10 alpha_r = 100, Lethe's tolerance 1e-4), which today truncates the same full solve.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class EigenBenchmark {
    @Param({"144", "576", "1152"})
    public int dim;

    private Gram gram;

    @Setup
    public void setUp() {
        gram = Gram.of(Matrices.activations(3, dim, 2 * dim));
    }

    @Benchmark
    public Basis full() {
        return Basis.fromGram(gram);
    }

    @Benchmark
    public Basis kept() {
        return Basis.fromGram(gram, 100, 1e-4);
    }
}
