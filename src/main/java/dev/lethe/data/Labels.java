package dev.lethe.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Class names: numbered defaults, label files, and labels that must name a class. */
final class Labels {
    private Labels() {}

    /** "0", "1", ..., "k-1". */
    static List<String> numbered(int k) {
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    /** Every label of {@code file} must index one of {@code names}. */
    static void checkRange(int[] labels, List<String> names, Path file) throws DataFormatException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= names.size()) {
                throw new DataFormatException(file, "label " + labels[i] + " of sample " + i + " is not one of the "
                        + names.size() + " classes (0.." + (names.size() - 1) + ") the labels name");
            }
        }
    }

    /** One name a line, surrounding blanks trimmed, blank lines skipped (CIFAR's label files). */
    static List<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException(file + ": no such file (it names the classes)");
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, "names no class (expected one class name a line)");
        }
        return out;
    }

    /** The spec's names if it gives them (as many as the format's), else the format's. */
    static List<String> chosen(DataSpec spec, List<String> own, Path source) throws DataException {
        if (spec.labels() == null) {
            return own;
        }
        if (spec.labels().size() != own.size()) {
            throw new DataException("the spec names " + spec.labels().size() + " labels, " + source + " has "
                    + own.size() + " classes");
        }
        return spec.labels();
    }
}
