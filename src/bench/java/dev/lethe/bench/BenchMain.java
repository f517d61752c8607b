package dev.lethe.bench;

import dev.lethe.cli.Main;
import picocli.CommandLine;

/**
 * {@code lethe bench ...}: the measurements that regenerate docs/. They live in their own
 * source set (src/bench/java, packaged as lethe-bench.jar) so that the product jar carries no
 * harness and no plotting library; {@code bin/lethe bench} puts both jars on the class path.
 */
public final class BenchMain {
    private BenchMain() { }

    public static void main(String[] args) {
        System.exit(Main.execute(new CommandLine(new BenchCommand()), args));
    }
}
