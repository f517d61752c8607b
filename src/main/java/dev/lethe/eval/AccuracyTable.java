package dev.lethe.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Renders {@link ClassAccuracy} as fixed-width plain text for the CLI. */
final class AccuracyTable {
    private AccuracyTable() {}

    static String single(ClassAccuracy acc, List<String> labels) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "class", "samples", "accuracy"});
        for (int c = 0; c < acc.numClasses(); c++) {
            rows.add(new String[] {Integer.toString(c), name(labels, c), Integer.toString(acc.count(c)),
                    percent(acc.perClass(c))});
        }
        rows.add(new String[] {"", "all", Integer.toString(acc.total()), percent(acc.overall())});
        return render(rows, "");
    }

    static String comparison(ClassAccuracy before, ClassAccuracy after, List<String> labels,
            Set<Integer> forgotten) {
        if (before.numClasses() != after.numClasses()) {
            throw new IllegalArgumentException("before has " + before.numClasses() + " classes, after "
                    + after.numClasses());
        }
        for (int c = 0; c < before.numClasses(); c++) {
            if (before.count(c) != after.count(c)) {
                throw new IllegalArgumentException("class " + c + " has " + before.count(c)
                        + " samples before and " + after.count(c) + " after: not the same test set");
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "class", "samples", "before", "after", "change"});
        for (int c = 0; c < before.numClasses(); c++) {
            String label = name(labels, c) + (forgotten.contains(c) ? " *" : "");
            rows.add(row(Integer.toString(c), label, before.count(c), before.perClass(c), after.perClass(c)));
        }
        int nf = (int) forgotten.stream().filter(c -> c >= 0 && c < before.numClasses()).count();
        rows.add(row("", "retained (" + (before.numClasses() - nf) + ")", before.retainCount(forgotten),
                before.retainAccuracy(forgotten), after.retainAccuracy(forgotten)));
        rows.add(row("", "forgotten (" + nf + ")", before.forgetCount(forgotten),
                before.forgetAccuracy(forgotten), after.forgetAccuracy(forgotten)));
        rows.add(row("", "all", before.total(), before.overall(), after.overall()));
        return render(rows, "* forgotten class; change in percentage points\n");
    }

    private static String[] row(String index, String label, int n, double before, double after) {
        return new String[] {index, label, Integer.toString(n), percent(before), percent(after),
                points(after - before)};
    }

    private static String name(List<String> labels, int c) {
        return labels != null && c < labels.size() ? labels.get(c) : "class " + c;
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String points(double delta) {
        return Double.isNaN(delta) ? "-" : String.format(Locale.ROOT, "%+.2f", 100 * delta);
    }

    /** Column 1 (the class name) is left-aligned, every other column right-aligned. */
    private static String render(List<String[]> rows, String footer) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int j = 0; j < cols; j++) {
                width[j] = Math.max(width[j], r[j].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < cols; j++) {
                String pad = " ".repeat(width[j] - r[j].length());
                line.append(j == 0 ? "" : "  ").append(j == 1 ? r[j] + pad : pad + r[j]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.append(footer).toString();
    }
}
