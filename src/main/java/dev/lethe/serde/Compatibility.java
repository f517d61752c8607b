package dev.lethe.serde;

/** A subject's compatibility level, as the Confluent REST API names it. */
public enum Compatibility {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
