package dev.lethe.lineage;

import dev.lethe.engine.ForgetSpec;
import dev.lethe.events.DeletionRequest;
import dev.lethe.events.ModelRegistration;
import dev.lethe.events.ModelVersion;
import dev.lethe.model.Manifest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks a request or registration must pass before the engine sees it; each failure says
 * why, for the audit log. Whether a request's classes and alphas can be served is
 * {@link ForgetSpec#problems}.
 */
public final class Requests {
    /** Model and request ids longer than this are rejected: they become store keys and event fields. */
    public static final int MAX_ID_CHARS = 512;

    private Requests() { }

    /**
     * The class indices a request names (by index and/or label), if it is for a known model and
     * the version it expects. Whether they can be forgotten is {@link ForgetSpec#problems}.
     */
    public static Set<Integer> validate(DeletionRequest req, ModelRegistration model, ModelVersion head) {
        if (model == null || head == null) {
            throw new UnknownModelException(req.getModelId());
        }
        Long expected = req.getExpectedParentVersion();
        if (expected != null && expected != head.getVersion()) {
            throw new IllegalArgumentException("parent version mismatch: the request expects version " + expected
                    + ", the head of '" + req.getModelId() + "' is version " + head.getVersion());
        }
        return classes(req, model.getClassLabels());
    }

    /** The class indices a request names, its labels looked up (ignoring case); indices are checked by ForgetSpec. */
    public static Set<Integer> classes(DeletionRequest req, List<String> labels) {
        Set<Integer> out = new TreeSet<>(req.getClassIndices());
        for (String label : req.getClassLabels()) {
            int c = indexOf(labels, label);
            if (c < 0) {
                throw new IllegalArgumentException("unknown class label '" + label + "' (the model has " + labels + ")");
            }
            out.add(c);
        }
        return out;
    }

    /** The request's alpha overrides, a missing one filled from the model's defaults; null if none given. */
    public static Manifest.Alphas alphas(DeletionRequest req, ModelRegistration model) {
        if (req.getAlphaR() == null && req.getAlphaF() == null) {
            return null;
        }
        return new Manifest.Alphas(Objects.requireNonNullElse(req.getAlphaR(), model.getDefaultAlphaR()),
                Objects.requireNonNullElse(req.getAlphaF(), model.getDefaultAlphaF()), "request");
    }

    /**
     * Every topic is keyed by model id, so that a model's records reach the one task that holds
     * its state; a record keyed otherwise may sit in a partition whose task never saw the model.
     */
    public static void checkKey(String key, String modelId, String what) {
        if (!modelId.equals(key)) {
            throw new IllegalArgumentException("the " + what + "'s record key " + (key == null ? "is null" : "'" + key + "'")
                    + " but its model_id is '" + modelId + "': records must be keyed by model id, so that all of a "
                    + "model's records reach the partition that holds it");
        }
    }

    /** Ids become store keys and event fields: bounded, and not blank. */
    public static void checkIds(DeletionRequest req) {
        checkId("request_id", req.getRequestId());
        checkId("model_id", req.getModelId());
    }

    public static void checkRegistrationSize(int bytes, int max) {
        if (bytes > max) {
            throw new IllegalArgumentException("a registration of " + bytes + " bytes is larger than the " + max
                    + " accepted (a quarter of lethe.max.message.bytes, so that it and version 0 fit in a record)");
        }
    }

    public static void checkRegistration(ModelRegistration reg, ModelRegistration existing) {
        checkId("model_id", reg.getModelId());
        List<String> labels = reg.getClassLabels();
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a model needs at least two classes");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (label.isBlank() || !seen.add(label.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("class labels must be distinct and not blank (requests name "
                        + "classes by label, ignoring case), got '" + label + "'");
            }
        }
        if (!reg.getSha256().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
        }
        checkPresent("artifact_uri", reg.getArtifactUri());
        checkPresent("architecture", reg.getArchitecture());
        checkPresent("sample_bank_uri", reg.getSampleBankUri());
        checkAlpha("default_alpha_r", reg.getDefaultAlphaR());
        checkAlpha("default_alpha_f", reg.getDefaultAlphaF());
        checkRank("default_forget_rank", reg.getDefaultForgetRank());
        reg.getClassAlphas().forEach((c, a) -> {
            int index = classIndex(c, labels.size());
            checkAlpha("class_alphas[" + index + "].alpha_r", a.getAlphaR());
            checkAlpha("class_alphas[" + index + "].alpha_f", a.getAlphaF());
            checkRank("class_alphas[" + index + "].forget_rank", a.getForgetRank());
        });
        if (existing != null && !existing.getSha256().equals(reg.getSha256())) {
            throw new IllegalArgumentException("model '" + reg.getModelId() + "' is already registered with artifact "
                    + existing.getSha256() + "; register the new weights under a new model id");
        }
    }

    /** A class_alphas key: a class index written in decimal, as {@link Versions#model} reads it. */
    private static int classIndex(CharSequence key, int classes) {
        String k = key.toString();
        if (!k.matches("[0-9]{1,9}") || Integer.parseInt(k) >= classes) {
            throw new IllegalArgumentException("class_alphas key '" + bounded(k, 40)
                    + "' is not a class index (0.." + (classes - 1) + ")");
        }
        return Integer.parseInt(k);
    }

    private static void checkRank(String name, Integer rank) {
        if (rank != null && rank < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 (0: no limit), got " + rank);
        }
    }

    private static void checkPresent(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }

    private static void checkId(String name, String id) {
        checkPresent(name, id);
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(name + " has " + id.length() + " characters, more than the "
                    + MAX_ID_CHARS + " allowed");
        }
    }

    private static void checkAlpha(String name, Double alpha) {
        String problem = alpha == null ? null : ForgetSpec.alphaProblem(name, alpha);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Rejects a request with every reason it cannot be served. */
    public static void reject(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
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

    /** {@code s} cut to {@code max} characters, saying so; null stays null. */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "... (" + s.length() + " characters, cut)";
    }
}
