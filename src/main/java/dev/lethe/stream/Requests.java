package dev.lethe.stream;

import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Manifest;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The checks a request or registration must pass; each failure says why, for the audit log. */
public final class Requests {
    /** Alphas outside this range are certainly a mistake (the paper's grid spans 1..1000). */
    static final double MAX_ALPHA = 1e6;

    private Requests() { }

    /** The class indices a request names (by index and/or label), after the checks that need no engine. */
    static Set<Integer> validate(DeletionRequest req, ModelRegistration model, ModelVersion head) {
        if (model == null || head == null) {
            throw new IllegalArgumentException("unknown model '" + req.getModelId() + "'");
        }
        Long expected = req.getExpectedParentVersion();
        if (expected != null && expected != head.getVersion()) {
            throw new IllegalArgumentException("parent version mismatch: the request expects version " + expected
                    + ", the head of '" + req.getModelId() + "' is version " + head.getVersion());
        }
        checkAlpha("alpha_r", req.getAlphaR());
        checkAlpha("alpha_f", req.getAlphaF());
        return classes(req, model.getClassLabels());
    }

    public static Set<Integer> classes(DeletionRequest req, List<String> labels) {
        Set<Integer> out = new TreeSet<>();
        for (int c : req.getClassIndices()) {
            if (c < 0 || c >= labels.size()) {
                throw new IllegalArgumentException("unknown class " + c + " (the model has classes 0.." + (labels.size() - 1) + ")");
            }
            out.add(c);
        }
        for (String label : req.getClassLabels()) {
            int c = indexOf(labels, label);
            if (c < 0) {
                throw new IllegalArgumentException("unknown class label '" + label + "' (the model has " + labels + ")");
            }
            out.add(c);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the request names no class to forget");
        }
        return out;
    }

    /** The request's alpha overrides, a missing one filled from the model's defaults; null if none given. */
    static Manifest.Alphas alphas(DeletionRequest req, ModelRegistration model) {
        if (req.getAlphaR() == null && req.getAlphaF() == null) {
            return null;
        }
        return new Manifest.Alphas(Objects.requireNonNullElse(req.getAlphaR(), model.getDefaultAlphaR()),
                Objects.requireNonNullElse(req.getAlphaF(), model.getDefaultAlphaF()), "request");
    }

    static void checkRegistration(ModelRegistration reg, ModelRegistration existing) {
        if (reg == null) {
            throw new IllegalArgumentException("empty registration (no value)");
        }
        if (reg.getClassLabels().size() < 2) {
            throw new IllegalArgumentException("a model needs at least two classes");
        }
        if (!reg.getSha256().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
        }
        if (existing != null && !existing.getSha256().equals(reg.getSha256())) {
            throw new IllegalArgumentException("model '" + reg.getModelId() + "' is already registered with artifact "
                    + existing.getSha256() + "; register the new weights under a new model id");
        }
    }

    private static void checkAlpha(String name, Double alpha) {
        if (alpha != null && !(alpha > 0 && alpha <= MAX_ALPHA)) {
            throw new IllegalArgumentException(name + " must be in (0, " + (long) MAX_ALPHA + "], got " + alpha);
        }
    }

    private static int indexOf(List<String> labels, String label) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(label.trim())) {
                return i;
            }
        }
        return -1;
    }
}
