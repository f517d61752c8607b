package dev.lethe.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where a model's data is, in which format, and how its images become the model's input: the
 * data half of a registration (the normalisation travels with the architecture; a dataset
 * delivers pixels in [0, 1]). JSON with snake_case names; docs/data.md has an example.
 *
 * @param format how the files are laid out
 * @param location the directory: a path or a {@code file:} URI
 * @param labels class names in class-index order; null: the format's own names (the CIFAR label
 *     files, an image folder's sorted sub-directory names) or, for IDX, "0".."K-1"
 * @param channels 1 or 3; null: as stored. Grey to 3 replicates the channel; RGB to 1 takes the
 *     luma, {@code (19595 R + 38470 G + 7471 B + 32768) >> 16}: ITU-R 601 weights 0.299, 0.587,
 *     0.114 in Pillow's integer form, so {@code convert("L")} gives the same bytes
 * @param height image height the model takes; null: as stored (with {@code width})
 * @param width image width the model takes; null: as stored (with {@code height})
 * @param fit how a stored image of another size becomes {@code height x width}; null: none
 * @param cifar100Labels {@code fine} (default) or {@code coarse}; CIFAR-100 only
 * @param validationPerClass images of each class held out of train for validation; null: 500,
 *     or a tenth of the smallest training class when that is fewer (at least 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(
        Format format,
        String location,
        List<String> labels,
        Integer channels,
        Integer height,
        Integer width,
        Fit fit,
        String cifar100Labels,
        Integer validationPerClass) {

    /** How a dataset's files are laid out (docs/data.md). */
    public enum Format {
        /** The four (Fashion-)MNIST IDX files, each plain or gzipped. */
        @JsonProperty("idx") IDX,
        /** CIFAR-10's binary version: data_batch_1..5.bin, test_batch.bin, batches.meta.txt. */
        @JsonProperty("cifar10") CIFAR10,
        /** CIFAR-100's binary version: train.bin, test.bin, fine/coarse_label_names.txt. */
        @JsonProperty("cifar100") CIFAR100,
        /** {@code train/<class>/*.png|jpg|jpeg} and {@code test/<class>/*}. */
        @JsonProperty("image-folder") IMAGE_FOLDER;

        /** The name used in JSON and on the command line. */
        public String id() {
            return this == IMAGE_FOLDER ? "image-folder" : name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.id().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown data format '" + s + "' (expected idx, cifar10, cifar100 or image-folder)");
        }
    }

    /** How a stored image becomes the model's height x width. */
    public enum Fit {
        /** Centred on a zero canvas (28x28 in 32x32: 2 pixels each side); never shrinks. */
        @JsonProperty("pad") PAD,
        /** Bilinear, widened when shrinking (as Pillow's BILINEAR), rounded to 8 bits. */
        @JsonProperty("resize") RESIZE,
        /** The stored size must already be the model's. */
        @JsonProperty("none") NONE;

        public static Fit parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown fit '" + s + "' (expected pad, resize or none)");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fashion-MNIST as the Debian package installs it: the built-in default. */
    public static final DataSpec FASHION_MNIST = new DataSpec(Format.IDX, FashionMnist.DEFAULT_DIR,
            FashionMnist.LABELS, 1, 28, 28, Fit.NONE, null, null);

    public DataSpec {
        Objects.requireNonNull(format, "format is required (idx, cifar10, cifar100 or image-folder)");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("location is required: the directory that holds the " + format.id() + " files");
        }
        if (location.startsWith("file:")) {
            fileUri(location);
        }
        if (labels != null) {
            labels = List.copyOf(labels);
            checkLabels(labels);
        }
        if (channels != null && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if ((height == null) != (width == null)) {
            throw new IllegalArgumentException("give both height and width, or neither (got height " + height
                    + ", width " + width + ")");
        }
        if (height != null && (height <= 0 || width <= 0)) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "x" + width);
        }
        if (fit != null && fit != Fit.NONE && height == null) {
            throw new IllegalArgumentException("fit " + fit.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs the height and width to fit to");
        }
        if (cifar100Labels != null && !(format == Format.CIFAR100
                && (cifar100Labels.equals("fine") || cifar100Labels.equals("coarse")))) {
            throw new IllegalArgumentException("cifar100_labels is fine or coarse, and only for format cifar100; got '"
                    + cifar100Labels + "' with format " + format.id());
        }
        if (validationPerClass != null && validationPerClass < 0) {
            throw new IllegalArgumentException("validation_per_class must be >= 0, got " + validationPerClass);
        }
    }

    private static void checkLabels(List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels is empty: leave it out to use the format's own names");
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < labels.size(); i++) {
            String l = labels.get(i);
            if (l == null || l.isBlank()) {
                throw new IllegalArgumentException("label " + i + " is blank");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("label '" + l + "' appears twice");
            }
        }
    }

    /** A spec for the files of {@code format} in {@code dir}, taken as stored. */
    public static DataSpec of(Format format, Path dir) {
        return new DataSpec(format, dir.toString(), null, null, null, null, null, null, null);
    }

    /** This spec with its data in {@code dir}. */
    public DataSpec withLocation(Path dir) {
        return new DataSpec(format, dir.toString(), labels, channels, height, width, fit, cifar100Labels,
                validationPerClass);
    }

    /** This spec with images made {@code channels x height x width} by {@code fit}. */
    public DataSpec withInput(int channels, int height, int width, Fit fit) {
        return new DataSpec(format, location, labels, channels, height, width, fit, cifar100Labels, validationPerClass);
    }

    /** This spec with these class names. */
    public DataSpec withLabels(List<String> names) {
        return new DataSpec(format, location, names, channels, height, width, fit, cifar100Labels, validationPerClass);
    }

    /** The fit, {@link Fit#NONE} when not given. */
    public Fit fitOrNone() {
        return fit == null ? Fit.NONE : fit;
    }

    /** The directory {@link #location} names. */
    @JsonIgnore
    public Path directory() {
        return location.startsWith("file:") ? fileUri(location) : Path.of(location);
    }

    private static Path fileUri(String location) {
        try {
            return Path.of(URI.create(location));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException("location '" + location + "' is not a valid file: URI (" + e.getMessage()
                    + ")");
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a spec; a bad one raises a {@link DataException} saying what is wrong. */
    public static DataSpec parse(String json) throws DataException {
        try {
            DataSpec spec = JSON.readValue(json, DataSpec.class);
            if (spec == null) {
                throw new DataException("data spec is empty");
            }
            return spec;
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DataException("bad data spec: " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException("bad data spec: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a spec from a JSON file. */
    public static DataSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException("data spec " + file + ": no such file");
        }
        try {
            return parse(Files.readString(file));
        } catch (DataException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
    }
}
