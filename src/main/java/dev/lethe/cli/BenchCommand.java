package dev.lethe.cli;

import picocli.CommandLine.Command;

@Command(name = "bench", description = "Measurements that regenerate the documents in docs/.",
        subcommands = {BenchCoreCommand.class, BenchE2eCommand.class, BenchPatchesCommand.class, BenchMethodsCommand.class, BenchScalingCommand.class})
final class BenchCommand {
}
