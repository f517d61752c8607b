package dev.lethe.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import dev.lethe.model.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** Options every command shares: where the data is and which device runs the networks. */
public final class Common {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST directory (default: $LETHE_DATA, then /usr/share/datasets/fashion-mnist)")
    public Path data;

    @Option(names = "--data-spec", paramLabel = "FILE",
            description = "the model's own data: a data spec, JSON (docs/data.md). Default: the model's (data.json "
                    + "in its directory), else Fashion-MNIST")
    public Path dataSpec;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "where the networks run (default: ${DEFAULT-VALUE}); the linear algebra runs on the CPU")
    public String device;

    /**
     * The data spec given with {@code --data-spec}, else the model's own ({@code data.json} in
     * {@code modelDir}, which may be null), else none: the model learns from Fashion-MNIST.
     */
    public Optional<DataSpec> ownData(Path modelDir) throws IOException {
        if (dataSpec != null) {
            return Optional.of(DataSpec.read(dataSpec));
        }
        return modelDir == null ? Optional.empty() : ModelFiles.readData(modelDir);
    }

    /** The splits of the data a command works on ({@link #ownData}, else Fashion-MNIST). */
    public Splits splits(Path modelDir) throws IOException {
        Optional<DataSpec> own = ownData(modelDir);
        return own.isPresent() ? Datasets.load(own.get()) : FashionMnist.load(FashionMnist.locate(data));
    }

    /** The splits for a command with no model yet (train): {@code --data-spec}, else Fashion-MNIST. */
    public Splits splits() throws IOException {
        return splits(null);
    }

    public NDManager manager() {
        String d = device.toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return NDManager.newBaseManager(Device.cpu());
        }
        if (d.equals("gpu")) {
            if (Engine.getInstance().getGpuCount() == 0) {
                throw new IllegalArgumentException("--device gpu: no GPU visible to the PyTorch engine "
                        + "(this build bundles the CPU natives; see docs/operations.md)");
            }
            return NDManager.newBaseManager(Device.gpu());
        }
        throw new IllegalArgumentException("--device must be cpu or gpu, got " + device);
    }

    /** Class arguments by index ("6") or by label ("Shirt", case-insensitive). */
    public static Set<Integer> classes(List<String> args, List<String> labels) {
        Set<Integer> out = new TreeSet<>();
        for (String a : args) {
            out.add(classIndex(a, labels));
        }
        return out;
    }

    public static int classIndex(String arg, List<String> labels) {
        String a = arg.trim();
        if (a.matches("\\d+")) {
            return Integer.parseInt(a);
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(a)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown class '" + arg + "' (use an index or one of " + labels + ")");
    }
}
