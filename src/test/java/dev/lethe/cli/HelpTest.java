package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A newcomer's first question, asked of every command: each answers --help and -h, and the top one --version. */
class HelpTest {

    @Test
    void everySubcommandAnswersHelp() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), "", paths);
        assertTrue(paths.size() >= 14, "all subcommands found: " + paths);
        for (String path : paths) {
            for (String flag : new String[] {"--help", "-h"}) {
                StringWriter out = new StringWriter();
                CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out));
                String[] args = (path + " " + flag).trim().split(" ");
                assertEquals(0, Main.execute(cli, args), path + " " + flag + ": " + out);
                assertTrue(out.toString().startsWith("Usage: lethe" + (path.isEmpty() ? "" : " " + path)), out.toString());
            }
        }
    }

    @Test
    void versionPrintsTheVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main()).setOut(new PrintWriter(out));
        assertEquals(0, Main.execute(cli, "--version"));
        assertTrue(out.toString().matches("lethe \\d+\\.\\d+\\.\\d+\\s*"), out.toString());
    }

    private static void collect(CommandLine cli, String prefix, List<String> out) {
        out.add(prefix);
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, (prefix + " " + name).trim(), out);
            }
        });
    }
}
