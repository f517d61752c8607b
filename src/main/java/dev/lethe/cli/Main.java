package dev.lethe.cli;

import dev.lethe.ops.NativeThreads;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lethe} command line: parse, call the library, print. */
// scope INHERIT: every subcommand answers --help (and --version) too.
@Command(name = "lethe", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "lethe 0.1.0",
        description = "Removes whole classes from trained networks without retraining.",
        subcommands = {DemoCommand.class, RunCommand.class, RegisterCommand.class, RequestCommand.class, ReplayCommand.class, ServeCommand.class, TrainCommand.class, ForgetCommand.class, EvaluateCommand.class,
                TuneCommand.class, ExportCommand.class, ImportCommand.class, DataCommand.class},
        footer = {"", "Measurements that regenerate docs/ run as  lethe bench ...  (a developer tool in its own jar, see README)."})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /**
     * DJL probes for CUDA on every start and logs a WARN when a CUDA runtime is installed but no
     * driver is (a CPU-only host with PyTorch's CUDA libraries around). The probe's answer is all
     * that matters, and {@code --device gpu} already fails with its own clear message when no GPU
     * is visible, so the warning says nothing a CPU user can act on. Set before the first logger
     * exists; an explicit setting (bin/lethe, a container) wins.
     */
    static void quietCudaProbe() {
        String key = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }

    /** Runs a command line with Lethe's error reporting: one line, the stack trace only with LETHE_DEBUG set. */
    public static int execute(CommandLine cli, String... args) {
        quietCudaProbe();
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lethe: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("LETHE_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        cli.setExecutionStrategy(parsed -> {
            if (computes(parsed)) {
                NativeThreads.configure();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /** Commands that only talk to Kafka or read files: they load no native library, so they size no pool. */
    private static final Set<String> NO_NATIVE_WORK = Set.of("lethe", "request", "data");

    /**
     * Whether the command line runs a command that computes: native pools are sized before the
     * first native library loads (docs/operations.md, "Native threads and CPU contention").
     */
    static boolean computes(CommandLine.ParseResult parsed) {
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.isUsageHelpRequested() || c.isVersionHelpRequested()) {
                return false;
            }
        }
        List<CommandLine> all = parsed.asCommandLineList();
        return !NO_NATIVE_WORK.contains(all.get(all.size() - 1).getCommandName());
    }
}
