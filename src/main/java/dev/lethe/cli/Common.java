package dev.lethe.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.Splits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** Options every command shares: where the data is and which device runs the networks. */
public final class Common {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST directory (default: $LETHE_DATA, then /usr/share/datasets/fashion-mnist)")
    public Path data;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "where the networks run (default: ${DEFAULT-VALUE}); the linear algebra runs on the CPU")
    public String device;

    private Splits splits;

    public Splits splits() throws IOException {
        if (splits == null) {
            splits = FashionMnist.load(FashionMnist.locate(data));
        }
        return splits;
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
