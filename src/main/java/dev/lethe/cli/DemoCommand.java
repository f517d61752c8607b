package dev.lethe.cli;

import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Train a model if none is cached, forget one class, show before and after.")
final class DemoCommand implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--arch", defaultValue = "vgg", description = "default: ${DEFAULT-VALUE}") String arch;

    @Option(names = "--class", defaultValue = "Shirt",
            description = "class to forget, index or label (default: ${DEFAULT-VALUE}, the hardest look-alike)")
    String forgetClass;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Lethe's state directory (default: $LETHE_HOME, else ~/.lethe)")
    Path home;

    @Option(names = "--json", description = "print exactly one JSON object") boolean json;

    @Override
    public Integer call() throws Exception {
        Architecture a = Architecture.parse(arch);
        Path models = home().resolve("models");
        Path base = models.resolve(a.id());
        if (!Files.exists(base.resolve(ModelFiles.MANIFEST))) {
            System.err.println("no cached " + a.id() + " model in " + base + ": training one (once)");
            TrainCommand.train(common, a, null, 42, base, true);
        }
        ForgetCommand forget = new ForgetCommand();
        forget.common = common;
        forget.model = base;
        forget.classes = List.of(forgetClass);
        forget.samples = 900;
        forget.out = models.resolve(a.id() + "-without-" + forgetClass.toLowerCase().replaceAll("[^a-z0-9]+", "-"));
        forget.json = json;
        return forget.call();
    }

    Path home() {
        if (home != null) {
            return home;
        }
        String env = System.getenv("LETHE_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".lethe");
    }
}
