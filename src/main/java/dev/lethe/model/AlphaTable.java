package dev.lethe.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model's tuned alphas, typed: one pair for any request ({@code defaults}) and pairs tuned for
 * forgetting one class alone ({@code perClass}, by class index). A manifest stores the same table
 * as a string-keyed map (class indices in decimal plus {@link #DEFAULT_KEY}); {@link #of} and
 * {@link #toManifest} are the only places that know that spelling.
 *
 * @param defaults the pair for requests no class-specific pair fits; null: {@link #UNTUNED_DEFAULT}
 */
public record AlphaTable(Manifest.Alphas defaults, Map<Integer, Manifest.Alphas> perClass) {
    /** The CIFAR-10 pair from the paper, with every forget direction up to the default rank. */
    public static final Manifest.Alphas PAPER = new Manifest.Alphas(100, 3, "paper (CIFAR-10)");
    /**
     * What a model that was never tuned gets: a pair that forgets on every network measured
     * untuned, at some cost to the other classes that tuning wins back. The paper's pair left
     * classes of under-trained models recognisable (docs/algorithm.md, "Untuned models").
     */
    public static final Manifest.Alphas UNTUNED_DEFAULT = new Manifest.Alphas(30, 3,
            "untuned default (docs/algorithm.md)", 1);
    /** The manifest key of {@link #defaults}. */
    public static final String DEFAULT_KEY = "default";
    public static final AlphaTable UNTUNED = new AlphaTable(null, Map.of());

    public AlphaTable {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
    }

    /** The table a manifest's alphas spell (null: untuned); keys that are not a class index are ignored. */
    public static AlphaTable of(Map<String, Manifest.Alphas> manifestAlphas) {
        if (manifestAlphas == null) {
            return UNTUNED;
        }
        Map<Integer, Manifest.Alphas> perClass = new TreeMap<>();
        manifestAlphas.forEach((k, a) -> {
            if (k.matches("[0-9]{1,9}") && String.valueOf(Integer.parseInt(k)).equals(k)) {
                perClass.put(Integer.parseInt(k), a);
            }
        });
        return new AlphaTable(manifestAlphas.get(DEFAULT_KEY), perClass);
    }

    /** The manifest's spelling of this table, class pairs first. */
    public Map<String, Manifest.Alphas> toManifest() {
        Map<String, Manifest.Alphas> out = new LinkedHashMap<>();
        perClass.forEach((c, a) -> out.put(String.valueOf(c), a));
        if (defaults != null) {
            out.put(DEFAULT_KEY, defaults);
        }
        return out;
    }

    /** The pair tuned for one class if the request forgets exactly that class, else the default pair. */
    public Manifest.Alphas choose(Set<Integer> classes) {
        if (classes.size() == 1) {
            Manifest.Alphas own = perClass.get(classes.iterator().next());
            if (own != null) {
                return own;
            }
        }
        return defaultPair();
    }

    /** {@link #defaults}, or {@link #UNTUNED_DEFAULT} for an untuned model. */
    public Manifest.Alphas defaultPair() {
        return defaults != null ? defaults : UNTUNED_DEFAULT;
    }
}
