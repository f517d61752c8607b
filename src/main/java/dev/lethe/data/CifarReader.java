package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky 2009), as their tarballs unpack
 * ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}). A file is a run of records: the
 * label byte(s), then 3,072 pixel bytes, the red, green and blue 32x32 planes in turn, each
 * row-major: the (C, H, W) layout a Dataset holds.
 *
 * <ul>
 *   <li>CIFAR-10: one label byte; {@code data_batch_1.bin} .. {@code data_batch_5.bin} (train),
 *       {@code test_batch.bin}; class names one a line in {@code batches.meta.txt}.
 *   <li>CIFAR-100: a coarse then a fine label byte; {@code train.bin}, {@code test.bin}; names in
 *       {@code fine_label_names.txt} or {@code coarse_label_names.txt}.
 * </ul>
 */
final class CifarReader {
    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;

    private final DataSpec.Format format;
    private final boolean coarse;

    private CifarReader(DataSpec spec) {
        this.format = spec.format();
        this.coarse = "coarse".equals(spec.cifar100Labels());
    }

    static CifarReader of(DataSpec spec) {
        if (spec.format() != DataSpec.Format.CIFAR10 && spec.format() != DataSpec.Format.CIFAR100) {
            throw new IllegalArgumentException("not a CIFAR format: " + spec.format().id());
        }
        return new CifarReader(spec);
    }

    private boolean ten() {
        return format == DataSpec.Format.CIFAR10;
    }

    private List<String> trainNames() {
        return ten() ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin") : List.of("train.bin");
    }

    private String testName() {
        return ten() ? "test_batch.bin" : "test.bin";
    }

    private String labelNames() {
        return ten() ? "batches.meta.txt" : coarse ? "coarse_label_names.txt" : "fine_label_names.txt";
    }

    private int labelBytes() {
        return ten() ? 1 : 2;
    }

    /** The label file, the training files, the test file; all must exist. */
    List<Path> files(Path dir) throws DatasetNotFoundException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetNotFoundException(format.id() + " data: " + dir + ": no such directory");
        }
        List<String> names = new ArrayList<>();
        names.add(labelNames());
        names.addAll(trainNames());
        names.add(testName());
        List<String> missing = names.stream().filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
        if (!missing.isEmpty()) {
            throw new DatasetNotFoundException(format.id() + " data in " + dir + ": missing " + String.join(", ", missing)
                    + " (the binary version, as " + (ten() ? "cifar-10-binary.tar.gz" : "cifar-100-binary.tar.gz")
                    + " unpacks)");
        }
        return names.stream().map(dir::resolve).toList();
    }

    Datasets.Loaded read(Path dir, DataSpec spec) throws IOException {
        List<Path> files = files(dir);
        Path nameFile = files.get(0);
        List<String> labels = Labels.chosen(spec, Labels.read(nameFile), nameFile);
        ImageFit fit = ImageFit.of(spec, 3, SIDE, SIDE);
        Dataset train = read(files.subList(1, files.size() - 1), labels, fit);
        Dataset test = read(files.subList(files.size() - 1, files.size()), labels, fit);
        return new Datasets.Loaded(train, test, labels);
    }

    private Dataset read(List<Path> files, List<String> labels, ImageFit fit) throws IOException {
        String why = fit.misfit(SIDE, SIDE);
        if (why != null) {
            throw new DataFormatException(files.get(0), "every image " + why);
        }
        int record = labelBytes() + PIXELS;
        int n = 0;
        for (Path f : files) {
            n += records(f, Files.size(f));
        }
        int[] y = new int[n];
        byte[] out = new byte[n * fit.imageSize()];
        int i = 0;
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            int count = records(f, b.length);
            for (int r = 0; r < count; r++, i++) {
                y[i] = b[r * record + labelBytes() - (coarse ? 2 : 1)] & 0xff;
                if (y[i] >= labels.size()) {
                    throw new DataFormatException(f, "record " + r + " has label " + y[i] + ", but "
                            + labelNames() + " names " + labels.size() + " classes");
                }
                fit.apply(b, r * record + labelBytes(), 3, SIDE, SIDE, out, i * fit.imageSize());
            }
        }
        return Dataset.ofBytes(out, y, fit.channels, fit.height, fit.width, labels.size());
    }

    private int records(Path f, long bytes) throws DataFormatException {
        int record = labelBytes() + PIXELS;
        if (bytes == 0 || bytes % record != 0) {
            throw new DataFormatException(f, bytes + " bytes is not a whole, non-zero number of " + record
                    + "-byte records (" + labelBytes() + " label byte" + (labelBytes() == 1 ? "" : "s") + " + "
                    + PIXELS + " pixel bytes)");
        }
        return Math.toIntExact(bytes / record);
    }
}
