package dev.lethe.engine;

import dev.lethe.model.Manifest;
import dev.lethe.store.ArtifactRef;
import java.util.Set;

/** What the stream processor asks of the engine; {@link UnlearningService} is the real one. */
public interface Unlearner {
    /** The cumulative forgotten set after the request, or IllegalArgumentException with the reason. */
    Set<Integer> validate(UnlearningService.Model model, UnlearningService.Head head, Set<Integer> classes);

    /**
     * Checks, before version 0 is published, that a registration can be served: its
     * architecture exists, its artifact is there with the sha256 it claims and fits the
     * architecture. IllegalArgumentException (or ArtifactNotFoundException) with the reason if not.
     */
    default void checkRegistration(UnlearningService.Model model, UnlearningService.Head base) { }

    /** Computes, stores and describes the next version. */
    UnlearningService.Produced forget(UnlearningService.Model model, UnlearningService.Head head,
                                      Set<Integer> classes, Manifest.Alphas override, long seed);

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
