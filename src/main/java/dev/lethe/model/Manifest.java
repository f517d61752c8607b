package dev.lethe.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.data.Classes;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a model directory says about its weights: enough to rebuild the network, check the bytes
 * and know its history. Written as {@code manifest.json} next to {@code model.safetensors}.
 *
 * @param alphas the unlearning parameters chosen on the validation split, as the file spells them
 *     ({@link AlphaTable#of}); null until tuned
 * @param forgotten classes this model no longer recognises, cumulative
 * @param parentSha256 weights this model was derived from, null for a trained base model
 * @param architectureSpec the architecture's description when it is not one Lethe ships (the
 *     directory then needs nothing else to be rebuilt); null for a shipped architecture
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String format,
        String architecture,
        List<String> labels,
        Training.Recipe recipe,
        Accuracy testAccuracy,
        String sha256,
        Map<String, Alphas> alphas,
        List<Integer> forgotten,
        String parentSha256,
        String createdBy,
        JsonNode architectureSpec) {

    public static final String FORMAT = "lethe-model/1";

    /** A manifest of a shipped architecture. */
    public Manifest(String format, String architecture, List<String> labels, Training.Recipe recipe,
                    Accuracy testAccuracy, String sha256, Map<String, Alphas> alphas, List<Integer> forgotten,
                    String parentSha256, String createdBy) {
        this(format, architecture, labels, recipe, testAccuracy, sha256, alphas, forgotten, parentSha256, createdBy,
                null);
    }

    /** A new model's manifest: the architecture's name, and its description unless Lethe ships it. */
    public static Manifest of(Architecture a, List<String> labels, Training.Recipe recipe, Accuracy testAccuracy,
                              String createdBy) {
        return new Manifest(FORMAT, a.id(), labels, recipe, testAccuracy, null, null, List.of(), null, createdBy,
                a.isShipped() ? null : a.description().toTree());
    }

    /** Per-class test accuracy (fractions), plus the sample-weighted overall figure. */
    public record Accuracy(double overall, List<Double> perClass) { }

    /**
     * An (alpha_r, alpha_f) pair, how it was chosen, and the number of forget directions per layer
     * it was chosen for ({@code forgetRank}; null: the caller's default, {@code ForgetJob}'s
     * unless told otherwise). Alphas and rank are chosen together because a pair that is right for
     * one rank is wrong for another.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alphas(double alphaR, double alphaF, String selectedBy, Integer forgetRank) {
        public Alphas(double alphaR, double alphaF, String selectedBy) {
            this(alphaR, alphaF, selectedBy, null);
        }

        public Alphas {
            if (forgetRank != null && forgetRank < 0) {
                throw new IllegalArgumentException("forget_rank must be >= 0 (0: no limit), got " + forgetRank);
            }
        }
    }

    /** The tuned alphas, typed. */
    public AlphaTable alphaTable() {
        return AlphaTable.of(alphas);
    }

    /** The classes this version has already forgotten (empty for a trained model), ascending. */
    public SortedSet<Integer> forgottenClasses() {
        return forgotten == null ? new TreeSet<>() : new TreeSet<>(forgotten);
    }

    /** The classes this version still predicts, ascending. */
    public SortedSet<Integer> retainedClasses() {
        return Classes.retained(labels.size(), forgottenClasses());
    }

    public Manifest withWeights(String newSha, Accuracy acc) {
        return new Manifest(format, architecture, labels, recipe, acc, newSha, alphas, forgotten, parentSha256, createdBy,
                architectureSpec);
    }

    public Manifest withAlphas(Map<String, Alphas> a) {
        return new Manifest(format, architecture, labels, recipe, testAccuracy, sha256, a, forgotten, parentSha256,
                createdBy, architectureSpec);
    }

    public Manifest derived(String newSha, Accuracy acc, List<Integer> allForgotten, String by) {
        return new Manifest(format, architecture, labels, recipe, acc, newSha, alphas, allForgotten, sha256, by,
                architectureSpec);
    }
}
