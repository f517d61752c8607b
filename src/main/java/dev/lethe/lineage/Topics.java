package dev.lethe.lineage;

/** The topics Lethe reads and writes; names come from configuration, never literals in the code. */
public record Topics(String requests, String registrations, String versions, String audit, String deadLetters) {
    public static final Topics DEFAULT = new Topics("lethe.deletion-requests", "lethe.model-registrations",
            "lethe.model-versions", "lethe.audit", "lethe.dead-letters");

    /** The same names with a prefix, so that tests and tenants never see each other's data. */
    public Topics prefixed(String prefix) {
        return new Topics(prefix + requests, prefix + registrations, prefix + versions, prefix + audit,
                prefix + deadLetters);
    }
}
