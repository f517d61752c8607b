package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; MIT licence): 60,000 training and 10,000 test
 * images, 28x28 grey, 10 classes. The Debian package {@code dataset-fashion-mnist} installs
 * its four gzipped IDX files in {@value #DEFAULT_DIR}.
 */
public final class FashionMnist {
    /** Class names, indexed by label. */
    public static final List<String> LABELS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** Environment variable naming a directory that holds the four files. */
    public static final String ENV_VAR = "LETHE_DATA";
    public static final String INSTALL_COMMAND = "sudo apt-get install dataset-fashion-mnist";

    private FashionMnist() {}

    /**
     * The first directory holding all four files, each gzipped ({@code NAME.gz}) or plain
     * ({@code NAME}), searched in this order: {@code explicitDirOrNull} (the CLI's
     * {@code --data}), the directory in {@code $LETHE_DATA}, {@value #DEFAULT_DIR}.
     *
     * @throws DatasetNotFoundException listing each place looked at and what it lacked, and
     *     how to install the data
     */
    public static Path locate(Path explicitDirOrNull) throws DatasetNotFoundException {
        return locate(explicitDirOrNull, System.getenv(ENV_VAR), Path.of(DEFAULT_DIR));
    }

    static Path locate(Path explicitDir, String envValue, Path defaultDir) throws DatasetNotFoundException {
        List<String> report = new ArrayList<>();
        Path[] candidates = {explicitDir, envValue == null || envValue.isBlank() ? null : Path.of(envValue),
                defaultDir};
        String[] sources = {"--data", "$" + ENV_VAR, "default"};
        for (int i = 0; i < candidates.length; i++) {
            Path dir = candidates[i];
            if (dir == null) {
                report.add("  " + sources[i] + ": not set");
                continue;
            }
            String missing = IdxDirectory.missing(dir);
            if (missing.isEmpty()) {
                return dir;
            }
            report.add("  " + sources[i] + " " + dir + ": " + missing);
        }
        throw new DatasetNotFoundException("Fashion-MNIST not found. Looked for " + String.join(", ", IdxDirectory.NAMES)
                + " (each plain or .gz) in:\n" + String.join("\n", report) + "\nInstall it with `"
                + INSTALL_COMMAND + "`, or set " + ENV_VAR + " (or pass --data) to a directory that holds"
                + " the four files.");
    }

    /** The built-in spec with its files in {@code dir}. */
    public static DataSpec spec(Path dir) {
        return DataSpec.FASHION_MNIST.withLocation(dir);
    }

    /** The 60,000 training images of {@code dir}, validation split included. */
    public static Dataset loadTrain(Path dir) throws IOException {
        return IdxDirectory.readSplit(dir, spec(dir), true);
    }

    /** The 10,000 test images of {@code dir}. */
    public static Dataset loadTest(Path dir) throws IOException {
        return IdxDirectory.readSplit(dir, spec(dir), false);
    }

    /** Training and test sets of {@code dir}, with the validation split held out per {@code spec}. */
    public static Splits load(Path dir, Splits.Spec spec) throws IOException {
        Datasets.Loaded data = Datasets.read(spec(dir));
        return Splits.of(data.train(), data.test(), spec);
    }

    /** The default splits of {@code dir}: {@link Datasets#load} of {@link #spec}, so cached. */
    public static Splits load(Path dir) throws IOException {
        return Datasets.load(spec(dir));
    }
}
