package dev.lethe.model;

import dev.lethe.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Runs the scripts of src/test/python with Debian's python3-torch. Without it a test is skipped
 * with a message, or under LETHE_CI=1 fails, as every missing prerequisite does in CI.
 */
final class TorchScripts {
    static final String PYTHON = "/usr/bin/python3";
    static final Path DIR = Path.of("src", "test", "python");

    private TorchScripts() { }

    /** Skips (or in CI fails) unless PyTorch and torchvision import in {@link #PYTHON}. */
    static void requireTorch() {
        String missing = probe();
        if (missing == null) {
            return;
        }
        throw Prerequisites.missing(missing + " (install: apt-get install python3-torch python3-torchvision)");
    }

    private static String probe() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : PYTHON + " cannot import torch and torchvision: " + out.strip();
        } catch (IOException e) {
            return PYTHON + " failed to start: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs {@code script} with {@code args}; returns its output, failing the test on a non-zero exit. */
    static String run(String script, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail(script + " ran over " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Assertions.assertEquals(0, p.exitValue(), script + " failed:\n" + text);
        return text;
    }
}
