package dev.lethe.engine;

import dev.lethe.model.Manifest;
import dev.lethe.store.ArtifactRef;
import java.util.Set;

/** What the stream processor asks of the engine; {@link UnlearningService} is the real one. */
public interface Unlearner {
    /**
     * The request as this engine serves it: {@code override} or else the model's tuned alphas,
     * the engine's sample counts with {@code seed}, its default forget rank, head re-centred.
     * Whether it can be served on a version is {@link ForgetSpec#problems}.
     */
    ForgetSpec spec(UnlearningService.Model model, Set<Integer> classes, Manifest.Alphas override, long seed);

    /**
     * Checks, before version 0 is published, that a registration can be served: its
     * architecture exists, its artifact is there with the sha256 it claims and fits the
     * architecture. IllegalArgumentException (or ArtifactNotFoundException) with the reason if not.
     */
    default void checkRegistration(UnlearningService.Model model, UnlearningService.Head base) { }

    /** Computes, stores and describes the next version; IllegalArgumentException if the spec cannot be served. */
    UnlearningService.Produced forget(UnlearningService.Model model, UnlearningService.Head head, ForgetSpec spec);

    /** As above, for the request {@link #spec} resolves. */
    default UnlearningService.Produced forget(UnlearningService.Model model, UnlearningService.Head head,
                                              Set<Integer> classes, Manifest.Alphas override, long seed) {
        return forget(model, head, spec(model, classes, override, seed));
    }

    /** Captures and stores a version's retain statistics; the returned artifact can be adopted later. */
    ArtifactRef precompute(UnlearningService.Model model, UnlearningService.Head head);

    /** Loads stored retain statistics of a version into memory, e.g. after a restart. */
    void adopt(UnlearningService.Head head, String statisticsUri);

    boolean hasStatistics(UnlearningService.Head head);

    /**
     * Drops what the engine keeps of a version that no model's head points at any more, and
     * deletes its stored statistics ({@code statisticsUri}, or null if none were recorded).
     */
    default void retire(UnlearningService.Head head, String statisticsUri) { }
}
