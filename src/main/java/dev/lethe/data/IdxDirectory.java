package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of the four (Fashion-)MNIST IDX files, each gzipped ({@code NAME.gz}) or plain
 * ({@code NAME}): {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}.
 */
final class IdxDirectory {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private IdxDirectory() {}

    /** {@code dir/name.gz} if it exists, else {@code dir/name} if it exists, else null. */
    static Path resolve(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** What {@code dir} lacks: "" when it holds all four files. */
    static String missing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "no such directory";
        }
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            if (resolve(dir, name) == null) {
                missing.add(name);
            }
        }
        return missing.isEmpty() ? "" : "missing " + String.join(", ", missing);
    }

    /** The four files, in the order of {@link #NAMES}. */
    static List<Path> files(Path dir) throws DatasetNotFoundException {
        String missing = missing(dir);
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException("IDX data in " + dir + ": " + missing + " (each file plain or .gz: "
                    + String.join(", ", NAMES) + ")");
        }
        return NAMES.stream().map(n -> resolve(dir, n)).toList();
    }

    static Datasets.Loaded read(Path dir, DataSpec spec) throws IOException {
        List<Path> f = files(dir);
        Dataset train = IdxReader.readDataset(f.get(0), f.get(1));
        Dataset test = IdxReader.readDataset(f.get(2), f.get(3));
        List<String> labels = spec.labels() != null ? spec.labels()
                : Labels.numbered(Math.max(train.numClasses(), test.numClasses()));
        return new Datasets.Loaded(fit(train, labels, spec, f.get(0), f.get(1)),
                fit(test, labels, spec, f.get(2), f.get(3)), labels);
    }

    /** The training ({@code train}) or test set alone, for a spec that names its labels. */
    static Dataset readSplit(Path dir, DataSpec spec, boolean train) throws IOException {
        if (spec.labels() == null) {
            throw new IllegalArgumentException("reading one split needs the labels in the spec");
        }
        List<Path> f = files(dir);
        int at = train ? 0 : 2;
        return fit(IdxReader.readDataset(f.get(at), f.get(at + 1)), spec.labels(), spec, f.get(at), f.get(at + 1));
    }

    private static Dataset fit(Dataset d, List<String> labels, DataSpec spec, Path imageFile, Path labelFile)
            throws DataException {
        Labels.checkRange(d.labels(), labels, labelFile);
        return ImageFit.of(spec, 1, d.rows(), d.cols())
                .all(d.rawBytes(), d.labels(), 1, d.rows(), d.cols(), labels.size(), imageFile);
    }
}
