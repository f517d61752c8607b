package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Files;
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

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

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
            String missing = missingFiles(dir);
            if (missing.isEmpty()) {
                return dir;
            }
            report.add("  " + sources[i] + " " + dir + ": " + missing);
        }
        throw new DatasetNotFoundException("Fashion-MNIST not found. Looked for " + String.join(", ", FILES)
                + " (each plain or .gz) in:\n" + String.join("\n", report) + "\nInstall it with `"
                + INSTALL_COMMAND + "`, or set " + ENV_VAR + " (or pass --data) to a directory that holds"
                + " the four files.");
    }

    private static String missingFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "no such directory";
        }
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            if (resolve(dir, name) == null) {
                missing.add(name);
            }
        }
        return missing.isEmpty() ? "" : "missing " + String.join(", ", missing);
    }

    /** {@code dir/name.gz} if it exists, else {@code dir/name} if it exists, else null. */
    static Path resolve(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** The 60,000 training images of {@code dir}, validation split included. */
    public static Dataset loadTrain(Path dir) throws IOException {
        return read(dir, TRAIN_IMAGES, TRAIN_LABELS);
    }

    /** The 10,000 test images of {@code dir}. */
    public static Dataset loadTest(Path dir) throws IOException {
        return read(dir, TEST_IMAGES, TEST_LABELS);
    }

    /** Training and test sets of {@code dir}, with the validation split held out per {@code spec}. */
    public static Splits load(Path dir, Splits.Spec spec) throws IOException {
        return Splits.of(loadTrain(dir), loadTest(dir), spec);
    }

    /** {@link #load(Path, Splits.Spec)} with {@link Splits.Spec#DEFAULT}. */
    public static Splits load(Path dir) throws IOException {
        return load(dir, Splits.Spec.DEFAULT);
    }

    private static Dataset read(Path dir, String images, String labels) throws IOException {
        Path imageFile = require(dir, images);
        Path labelFile = require(dir, labels);
        Dataset d = IdxReader.readDataset(imageFile, labelFile);
        if (d.numClasses() > LABELS.size()) {
            throw new IdxFormatException(labelFile, "label " + (d.numClasses() - 1)
                    + " is not a Fashion-MNIST class (0.." + (LABELS.size() - 1) + ")");
        }
        // Relabel with the full class count so that a subset missing the last class still has 10.
        return new Dataset(d.pixels(), d.labels(), d.rows(), d.cols(), LABELS.size());
    }

    private static Path require(Path dir, String name) throws IOException {
        Path p = resolve(dir, name);
        if (p == null) {
            throw new DatasetNotFoundException("Fashion-MNIST: neither " + dir.resolve(name + ".gz") + " nor "
                    + dir.resolve(name) + " exists. Install the data with `" + INSTALL_COMMAND + "`, or set "
                    + ENV_VAR + " (or pass --data) to a directory that holds the four files.");
        }
        return p;
    }
}
