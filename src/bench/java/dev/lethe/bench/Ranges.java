package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;

/** Parses class lists such as {@code 0-9} or {@code 1,6,8} or {@code 0-2,7}. */
final class Ranges {
    private Ranges() { }

    static List<Integer> parse(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash > 0) {
                int from = Integer.parseInt(p.substring(0, dash).trim());
                int to = Integer.parseInt(p.substring(dash + 1).trim());
                for (int c = from; c <= to; c++) {
                    out.add(c);
                }
            } else {
                out.add(Integer.parseInt(p));
            }
        }
        return out;
    }
}
