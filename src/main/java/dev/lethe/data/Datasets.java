package dev.lethe.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The data a {@link DataSpec} describes: read, split, checked and fingerprinted. Every failure is
 * a {@link DataException} whose message is the reason, fit to reject a registration with.
 *
 * <p>{@link #load} keeps the splits of the last {@value #CACHE_SIZE} specs it loaded (a processor
 * serves models on different data side by side); a spec that failed to load is not kept, so a
 * dataset put in place later is found. The files are read once per spec: a change on disk after
 * that is not seen until the entry is evicted.
 */
public final class Datasets {
    static final int CACHE_SIZE = 4;

    /** The whole training set (validation not yet held out), the test set and the class names. */
    public record Loaded(Dataset train, Dataset test, List<String> labels) {}

    /** What a check found: class names, the image shape a model gets, images per class and split. */
    public record Summary(DataSpec spec, List<String> labels, ImageShape shape, int[] train, int[] validation,
                          int[] test) {
        public int numClasses() {
            return labels.size();
        }
    }

    private record Opened(Splits splits, List<String> labels) {}

    private static final Map<DataSpec, FutureTask<Opened>> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DataSpec, FutureTask<Opened>> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Datasets() {}

    /** The train / validation / test splits of the spec's data; cached per spec. */
    public static Splits load(DataSpec spec) throws IOException {
        return open(spec).splits();
    }

    /**
     * Loads the data and checks it for a model with {@code numClasses} outputs that takes
     * {@code input} images.
     *
     * @throws DataException whose message says what disagrees, or what is wrong with the data
     */
    public static Summary check(DataSpec spec, int numClasses, ImageShape input) throws IOException {
        if (spec.labels() != null && spec.labels().size() != numClasses) {
            throw new DataException("the data spec names " + spec.labels().size() + " classes, the model's head has "
                    + numClasses);
        }
        if (spec.channels() != null && spec.height() != null
                && !new ImageShape(spec.channels(), spec.height(), spec.width()).equals(input)) {
            throw new DataException("the data spec makes " + spec.channels() + "x" + spec.height() + "x" + spec.width()
                    + " images, the model takes " + input);
        }
        Summary s = check(spec);
        if (s.numClasses() != numClasses) {
            throw new DataException("the data has " + s.numClasses() + " classes " + s.labels()
                    + ", the model's head has " + numClasses);
        }
        if (!s.shape().equals(input)) {
            throw new DataException("the data gives " + s.shape() + " images, the model takes " + input
                    + ": set channels, height, width and fit (pad or resize) in the data spec");
        }
        return s;
    }

    /** Loads the data and says what it holds. */
    public static Summary check(DataSpec spec) throws IOException {
        Opened o = open(spec);
        Splits s = o.splits();
        return new Summary(spec, o.labels(), ImageShape.of(s.test()), s.train().classCounts(),
                s.validation().classCounts(), s.test().classCounts());
    }

    /**
     * The sha256 of the files the spec's data is read from (see {@link Fingerprint}): what the
     * lineage records as the data a version's statistics were drawn from. Reads every file;
     * not cached.
     */
    public static String fingerprint(DataSpec spec) throws IOException {
        Path dir = spec.directory();
        return Fingerprint.of(dir, files(spec, dir));
    }

    /** Reads the whole data, uncached and unsplit (for export). */
    public static Loaded read(DataSpec spec) throws IOException {
        Path dir = spec.directory();
        try {
            return switch (spec.format()) {
                case IDX -> IdxDirectory.read(dir, spec);
                case CIFAR10, CIFAR100 -> CifarReader.of(spec).read(dir, spec);
                case IMAGE_FOLDER -> ImageFolder.read(dir, spec);
            };
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException("cannot read " + spec.format().id() + " data in " + dir + ": " + e, e);
        }
    }

    private static List<Path> files(DataSpec spec, Path dir) throws DataException {
        return switch (spec.format()) {
            case IDX -> IdxDirectory.files(dir);
            case CIFAR10, CIFAR100 -> CifarReader.of(spec).files(dir);
            case IMAGE_FOLDER -> ImageFolder.scan(dir).files();
        };
    }

    private static Opened open(DataSpec spec) throws IOException {
        DataSpec key = spec.withLocation(spec.directory().toAbsolutePath().normalize());
        FutureTask<Opened> task;
        boolean mine = false;
        synchronized (CACHE) {
            task = CACHE.get(key);
            if (task == null) {
                task = new FutureTask<>(() -> split(read(key), key));
                CACHE.put(key, task);
                mine = true;
            }
        }
        if (mine) {
            task.run();
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            synchronized (CACHE) {
                CACHE.remove(key, task);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + key.location() + " was loading");
        }
    }

    /** Holds out the validation split; every class needs test images and one training image beyond it. */
    static Opened split(Loaded data, DataSpec spec) throws DataException {
        int[] train = data.train().classCounts();
        int[] test = data.test().classCounts();
        for (int c = 0; c < train.length; c++) {
            String name = "class " + c + " '" + data.labels().get(c) + "'";
            if (train[c] == 0 || test[c] == 0) {
                throw new DataException(name + " has no " + (train[c] == 0 ? "training" : "test") + " images in "
                        + spec.location());
            }
        }
        int smallest = Arrays.stream(train).min().orElse(0);
        Splits.Spec s = spec.validationPerClass() != null
                ? new Splits.Spec(spec.validationPerClass(), Splits.DEFAULT_SEED) : Splits.Spec.forSmallestClass(smallest);
        for (int c = 0; c < train.length; c++) {
            if (train[c] <= s.validationPerClass()) {
                throw new DataException("class " + c + " '" + data.labels().get(c) + "' has " + train[c]
                        + " training images: the validation split holds out " + s.validationPerClass()
                        + " of each class and training needs at least one more");
            }
        }
        return new Opened(Splits.of(data.train(), data.test(), s), data.labels());
    }
}
