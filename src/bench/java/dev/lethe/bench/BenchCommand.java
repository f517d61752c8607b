package dev.lethe.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "lethe bench", description = "Measurements that regenerate the documents in docs/.",
        subcommands = {BenchCoreCommand.class, BenchE2eCommand.class, BenchPatchesCommand.class, BenchMethodsCommand.class, BenchScalingCommand.class})
final class BenchCommand {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
