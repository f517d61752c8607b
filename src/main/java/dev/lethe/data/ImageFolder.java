package dev.lethe.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images in one directory per class, the layout torchvision's {@code ImageFolder} reads:
 * {@code ROOT/train/<class>/*.png|jpg|jpeg} and {@code ROOT/test/<class>/*}, the same class
 * directories in both. Classes are the sorted directory names of {@code train/} (class index =
 * position); files are read in sorted name order, so the dataset is the same on every machine.
 * Names starting with a dot are skipped; any other file that is not a PNG or JPEG is an error.
 *
 * <p>Images decode with {@code javax.imageio}. Grey images (8 or 16 bit, or a palette of greys)
 * have one channel, others three (RGB; alpha is dropped). Left open by the spec, the channels are
 * 3 if any image has colour, else 1; the size must then be the same for every image.
 */
public final class ImageFolder {
    /** Where {@link #write} puts the spec of the folder it wrote. */
    public static final String SPEC_FILE = "lethe-data.json";
    static final List<String> SPLITS = List.of("train", "test");
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFolder() {}

    /** The class directories and, per split and class, the image files in reading order. */
    record Layout(List<String> classes, List<List<Path>> train, List<List<Path>> test) {
        List<Path> files() {
            List<Path> all = new ArrayList<>();
            Stream.concat(train.stream(), test.stream()).forEach(all::addAll);
            return all;
        }
    }

    static Layout scan(Path root) throws DataException {
        if (!Files.isDirectory(root)) {
            throw new DatasetNotFoundException("image-folder data: " + root + ": no such directory");
        }
        for (String split : SPLITS) {
            if (!Files.isDirectory(root.resolve(split))) {
                throw new DatasetNotFoundException("image-folder data in " + root + ": no " + split
                        + "/ directory (layout: ROOT/train/<class>/*.png|jpg|jpeg and ROOT/test/<class>/*)");
            }
        }
        List<String> classes = classDirectories(root.resolve("train"));
        if (classes.isEmpty()) {
            throw new DataException(root.resolve("train") + " has no class directories");
        }
        List<String> testClasses = classDirectories(root.resolve("test"));
        for (String c : classes) {
            if (!testClasses.contains(c)) {
                throw new DataException(root.resolve("test") + " has no directory for class '" + c + "' (train/ has one)");
            }
        }
        for (String c : testClasses) {
            if (!classes.contains(c)) {
                throw new DataException(root.resolve("test").resolve(c) + " is not a class: train/ has no '" + c + "'");
            }
        }
        return new Layout(classes, images(root.resolve("train"), classes), images(root.resolve("test"), classes));
    }

    private static List<String> classDirectories(Path split) throws DataException {
        List<String> out = new ArrayList<>();
        for (Path p : sortedEntries(split)) {
            if (!Files.isDirectory(p)) {
                throw new DataException(p + ": " + split.getFileName() + "/ holds one directory per class, not files");
            }
            out.add(p.getFileName().toString());
        }
        return out;
    }

    private static List<List<Path>> images(Path split, List<String> classes) throws DataException {
        List<List<Path>> out = new ArrayList<>();
        for (String c : classes) {
            List<Path> files = new ArrayList<>();
            for (Path p : sortedEntries(split.resolve(c))) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isDirectory(p)) {
                    throw new DataException(p + ": a directory inside a class directory (nested directories are not read)");
                }
                if (EXTENSIONS.stream().noneMatch(name::endsWith)) {
                    throw new DataException(p + ": not a .png, .jpg or .jpeg file (only those are read)");
                }
                files.add(p);
            }
            if (files.isEmpty()) {
                throw new DataException("class '" + c + "' has no images in " + split.resolve(c));
            }
            out.add(files);
        }
        return out;
    }

    /** Entries not starting with a dot, sorted by name. */
    private static List<Path> sortedEntries(Path dir) throws DataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    static Datasets.Loaded read(Path root, DataSpec spec) throws IOException {
        Layout layout = scan(root);
        List<String> labels = labels(spec, layout, root);
        Decoded[] train = decodeAll(layout.train());
        Decoded[] test = decodeAll(layout.test());
        ImageFit fit = fitFor(spec, train, test, layout);
        return new Datasets.Loaded(assemble(train, layout.train(), fit, labels.size()),
                assemble(test, layout.test(), fit, labels.size()), labels);
    }

    /** The spec's names stand for the sorted directories by position; a name that is another directory's is a mistake. */
    private static List<String> labels(DataSpec spec, Layout layout, Path root) throws DataException {
        List<String> labels = Labels.chosen(spec, layout.classes(), root.resolve("train"));
        for (int i = 0; i < labels.size(); i++) {
            int dir = layout.classes().indexOf(labels.get(i));
            if (dir >= 0 && dir != i) {
                throw new DataException("label " + i + " of the spec is '" + labels.get(i) + "', but directory '"
                        + labels.get(i) + "' is class " + dir + " (classes are the sorted directories of train/;"
                        + " the spec's labels name them in that order)");
            }
        }
        return labels;
    }

    /** One image as stored: {@code c x h x w} bytes, channel-major. */
    record Decoded(byte[] pixels, int c, int h, int w) {}

    private static Decoded[] decodeAll(List<List<Path>> byClass) throws DataException {
        Path[] files = byClass.stream().flatMap(List::stream).toArray(Path[]::new);
        Decoded[] out = new Decoded[files.length];
        DataException[] errors = new DataException[files.length];
        IntStream.range(0, files.length).parallel().forEach(i -> {
            try {
                out[i] = decode(files[i]);
            } catch (DataException e) {
                errors[i] = e;
            }
        });
        for (DataException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        return out;
    }

    static Decoded decode(Path file) throws DataException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file, "cannot be decoded as PNG or JPEG (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new DataFormatException(file, "is not a PNG or JPEG that javax.imageio can decode");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (isGrey(cm)) {
            byte[] px = new byte[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = (byte) (cm instanceof IndexColorModel icm ? icm.getRed(r.getSample(x, y, 0))
                            : eightBit(r.getSample(x, y, 0), cm.getComponentSize(0)));
                }
            }
            return new Decoded(px, 1, h, w);
        }
        // Raw samples for plain RGB rasters; getRGB (which converts through sRGB) only for palettes and the rest.
        boolean rgb = !(cm instanceof IndexColorModel) && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3;
        byte[] px = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = rgb ? 0 : img.getRGB(x, y);
                for (int b = 0; b < 3; b++) {
                    int v = rgb ? eightBit(r.getSample(x, y, b), cm.getComponentSize(b)) : argb >> (16 - 8 * b) & 0xff;
                    px[b * h * w + y * w + x] = (byte) v;
                }
            }
        }
        return new Decoded(px, 3, h, w);
    }

    private static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
    }

    private static int eightBit(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        int max = (1 << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }

    private static ImageFit fitFor(DataSpec spec, Decoded[] train, Decoded[] test, Layout layout) throws DataException {
        boolean colour = Stream.concat(Stream.of(train), Stream.of(test)).anyMatch(d -> d.c() == 3);
        ImageFit fit = ImageFit.of(spec, colour ? 3 : 1, train[0].h(), train[0].w());
        List<Path> files = layout.files();
        Decoded[] all = Stream.concat(Stream.of(train), Stream.of(test)).toArray(Decoded[]::new);
        for (int i = 0; i < all.length; i++) {
            if (spec.height() == null && (all[i].h() != all[0].h() || all[i].w() != all[0].w())) {
                throw new DataFormatException(files.get(i), "is " + all[i].h() + "x" + all[i].w() + ", unlike "
                        + files.get(0) + " (" + all[0].h() + "x" + all[0].w() + "): images of several sizes need a"
                        + " height and width in the spec, with fit pad or resize");
            }
            String why = fit.misfit(all[i].h(), all[i].w());
            if (why != null) {
                throw new DataFormatException(files.get(i), why);
            }
        }
        return fit;
    }

    private static Dataset assemble(Decoded[] images, List<List<Path>> byClass, ImageFit fit, int numClasses) {
        int[] labels = new int[images.length];
        int i = 0;
        for (int c = 0; c < byClass.size(); c++) {
            for (int k = 0; k < byClass.get(c).size(); k++) {
                labels[i++] = c;
            }
        }
        byte[] out = new byte[images.length * fit.imageSize()];
        for (int k = 0; k < images.length; k++) {
            Decoded d = images[k];
            fit.apply(d.pixels(), 0, d.c(), d.h(), d.w(), out, k * fit.imageSize());
            images[k] = null;
        }
        return Dataset.ofBytes(out, labels, fit.channels, fit.height, fit.width, numClasses);
    }

    /**
     * Writes {@code data} as an image folder in {@code root} (new or empty): PNGs (8-bit grey or
     * RGB) named by their index in their split, under one directory per class, and the folder's
     * spec as {@value #SPEC_FILE}. A class directory is the class index, zero-padded, a dash and
     * the label with path characters replaced ("0-T-shirt_top"), so that sorting the directories
     * (as this reader and torchvision do) gives the classes in index order.
     *
     * @return the spec that reads the folder back
     */
    public static DataSpec write(Datasets.Loaded data, Path root, Integer validationPerClass) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.list(root)) {
                if (s.findAny().isPresent()) {
                    throw new DataException(root + " is not empty: export writes into a new or empty directory");
                }
            }
        }
        List<String> dirs = directoryNames(data.labels());
        for (String split : SPLITS) {
            Dataset d = split.equals("train") ? data.train() : data.test();
            for (String dir : dirs) {
                Files.createDirectories(root.resolve(split).resolve(dir));
            }
            String pattern = "%0" + String.valueOf(Math.max(d.size() - 1, 0)).length() + "d.png";
            IOException[] errors = new IOException[d.size()];
            IntStream.range(0, d.size()).parallel().forEach(i -> {
                try {
                    writePng(d, i, root.resolve(split).resolve(dirs.get(d.label(i))).resolve(String.format(pattern, i)));
                } catch (IOException e) {
                    errors[i] = e;
                }
            });
            for (IOException e : errors) {
                if (e != null) {
                    throw e;
                }
            }
        }
        Dataset t = data.train();
        DataSpec spec = new DataSpec(DataSpec.Format.IMAGE_FOLDER, root.toAbsolutePath().normalize().toString(),
                data.labels(), t.channels(), t.rows(), t.cols(), DataSpec.Fit.NONE, null, validationPerClass);
        Files.writeString(root.resolve(SPEC_FILE), spec.toJson() + "\n");
        return spec;
    }

    static List<String> directoryNames(List<String> labels) {
        int digits = String.valueOf(Math.max(labels.size() - 1, 0)).length();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            out.add(String.format("%0" + digits + "d-%s", i, labels.get(i).replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_")));
        }
        return out;
    }

    private static void writePng(Dataset d, int i, Path file) throws IOException {
        int h = d.rows();
        int w = d.cols();
        byte[] px = d.imageBytes(i);
        BufferedImage img = new BufferedImage(w, h, d.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = img.getRaster();
        for (int b = 0; b < d.channels(); b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    r.setSample(x, y, b, px[b * h * w + y * w + x] & 0xff);
                }
            }
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in javax.imageio");
        }
    }
}
