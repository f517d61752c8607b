package dev.lethe.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "lethe bench", description = "Measurements that regenerate the documents in docs/.",
        mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "lethe bench 0.1.0",
        subcommands = {BenchCoreCommand.class, BenchE2eCommand.class, BenchPatchesCommand.class, BenchMethodsCommand.class, BenchScalingCommand.class,
                BenchChaosCommand.class, BenchScaleOutCommand.class})
final class BenchCommand {
}
