package dev.lethe.baselines;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one unlearning call did.
 *
 * @param method the method's id
 * @param forgotten the classes this call forgot
 * @param allForgotten every class the model no longer knows, this call's included
 * @param seconds wall-clock time of the method's own work (the whole {@code run} call)
 * @param phases where that time went, in seconds, by phase (method-specific names)
 * @param settings the hyper-parameters and sample counts it used (numbers or strings)
 */
public record Outcome(String method, Set<Integer> forgotten, Set<Integer> allForgotten, double seconds,
                      Map<String, Double> phases, Map<String, Object> settings) {
    public Outcome {
        forgotten = Collections.unmodifiableSet(new TreeSet<>(forgotten));
        allForgotten = Collections.unmodifiableSet(new TreeSet<>(allForgotten));
        phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Phases in the order given: name, seconds, name, seconds, ... */
    static Map<String, Double> phases(Object... nameSeconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < nameSeconds.length; i += 2) {
            out.put((String) nameSeconds[i], ((Number) nameSeconds[i + 1]).doubleValue());
        }
        return out;
    }
}
