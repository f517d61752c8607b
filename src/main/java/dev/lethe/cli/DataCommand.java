package dev.lethe.cli;

import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageFolder;
import dev.lethe.data.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lethe data check | export}: a dataset's checks and summary, and Fashion-MNIST as an image folder. */
@Command(name = "data", description = "Check a dataset before registering it, or export one as an image folder "
        + "(docs/data.md).", subcommands = {DataCommand.Check.class, DataCommand.Export.class})
final class DataCommand {

    /** Which data: a spec file, else Fashion-MNIST. */
    static final class Source {
        @Option(names = "--spec", paramLabel = "FILE", description = "data spec, JSON (docs/data.md); default: Fashion-MNIST")
        Path spec;

        @Option(names = "--data", paramLabel = "DIR",
                description = "Fashion-MNIST directory when there is no --spec (default: $LETHE_DATA, then "
                        + FashionMnist.DEFAULT_DIR + ")")
        Path data;

        DataSpec resolve() throws IOException {
            if (spec != null && data != null) {
                throw new IllegalArgumentException("--spec and --data both name the data: give one");
            }
            return spec != null ? DataSpec.read(spec) : FashionMnist.spec(FashionMnist.locate(data));
        }
    }

    @Command(name = "check", description = "Load a dataset as a registration would, run its checks (and, given "
            + "--classes or --input, those against a model) and print its classes, counts, shape and fingerprint.")
    static final class Check implements Callable<Integer> {
        @Mixin Source source;

        @Option(names = "--classes", paramLabel = "N", description = "the model head's class count")
        Integer classes;

        @Option(names = "--input", paramLabel = "CxHxW", description = "the model's input, e.g. 3x32x32")
        String input;

        @Override
        public Integer call() throws IOException {
            DataSpec spec = source.resolve();
            long t0 = System.nanoTime();
            Datasets.Summary s = Datasets.check(spec);
            if (classes != null || input != null) {
                s = Datasets.check(spec, classes == null ? s.numClasses() : classes,
                        input == null ? s.shape() : ImageShape.parse(input));
            }
            double loaded = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            String fingerprint = Datasets.fingerprint(spec);
            double hashed = (System.nanoTime() - t0) / 1e9;
            System.out.print(report(s, fingerprint, loaded, hashed));
            return 0;
        }
    }

    static String report(Datasets.Summary s, String fingerprint, double loadSeconds, double hashSeconds) {
        DataSpec spec = s.spec();
        StringBuilder out = new StringBuilder();
        out.append(String.format("data         %s in %s%n", spec.format().id(), spec.directory()));
        out.append(String.format("input        %s (fit %s)%n", s.shape(), spec.fitOrNone().name().toLowerCase(java.util.Locale.ROOT)));
        out.append(String.format("classes      %d%n", s.numClasses()));
        int width = Math.max(5, s.labels().stream().mapToInt(String::length).max().orElse(0) + 5);
        out.append(String.format("  %-" + width + "s %8s %10s %8s%n", "class", "train", "validation", "test"));
        long[] total = new long[3];
        for (int c = 0; c < s.numClasses(); c++) {
            out.append(String.format("  %-" + width + "s %8d %10d %8d%n", c + " " + s.labels().get(c), s.train()[c],
                    s.validation()[c], s.test()[c]));
            total[0] += s.train()[c];
            total[1] += s.validation()[c];
            total[2] += s.test()[c];
        }
        out.append(String.format("  %-" + width + "s %8d %10d %8d%n", "total", total[0], total[1], total[2]));
        out.append(String.format("fingerprint  %s%n", fingerprint));
        out.append(String.format("took         %.1f s to load and check, %.1f s to fingerprint%n", loadSeconds, hashSeconds));
        return out.toString();
    }

    @Command(name = "export", description = "Write a dataset (default: Fashion-MNIST) as an image folder of PNGs with "
            + "its spec, e.g. --pad 32 --channels 3 for the 3x32x32 networks.")
    static final class Export implements Callable<Integer> {
        @Mixin Source source;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "image-folder",
                description = "what to write: image-folder (the only one)")
        String format;

        @Option(names = "--channels", paramLabel = "1|3", description = "channels of the written images (default: as read)")
        Integer channels;

        @Option(names = "--pad", paramLabel = "SIZE", description = "centre each image on a SIZE x SIZE zero canvas")
        Integer pad;

        @Option(names = "--resize", paramLabel = "SIZE", description = "resize each image to SIZE x SIZE (bilinear)")
        Integer resize;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "a new or empty directory")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (DataSpec.Format.parse(format) != DataSpec.Format.IMAGE_FOLDER) {
                throw new IllegalArgumentException("--format: only image-folder can be written, not " + format);
            }
            if (pad != null && resize != null) {
                throw new IllegalArgumentException("--pad and --resize: give one");
            }
            DataSpec read = source.resolve();
            Integer size = pad != null ? pad : resize;
            DataSpec spec = new DataSpec(read.format(), read.location(), read.labels(),
                    channels != null ? channels : read.channels(), size != null ? size : read.height(),
                    size != null ? size : read.width(),
                    size == null ? read.fit() : pad != null ? DataSpec.Fit.PAD : DataSpec.Fit.RESIZE,
                    read.cifar100Labels(), read.validationPerClass());
            long t0 = System.nanoTime();
            Datasets.Loaded data = Datasets.read(spec);
            DataSpec written = ImageFolder.write(data, out, spec.validationPerClass());
            System.out.printf("wrote %d training and %d test images of %s to %s in %.1f s%nits spec: %s%n",
                    data.train().size(), data.test().size(), ImageShape.of(data.train()), out,
                    (System.nanoTime() - t0) / 1e9, out.resolve(ImageFolder.SPEC_FILE));
            System.out.println(written.toJson());
            return 0;
        }
    }
}
