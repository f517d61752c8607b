package dev.lethe.embedded;

import java.util.List;
import java.util.Locale;

/**
 * Keeps the broker's own logging to warnings. Kafka's server code logs through slf4j, which
 * Lethe binds to slf4j-simple; at its default level (info) a broker start prints hundreds of
 * lines. slf4j-simple reads a logger's level from system properties when the logger is created,
 * so setting them before the broker's classes load is enough.
 *
 * <p>The controller is kept to errors: its one routine warning ("Performing controller
 * activation") comes with every start, and a single-node quorum has no peers to warn about.
 *
 * <p>The client class {@code NetworkClient} is kept to errors too, as a last resort: Kafka 4.3.1's
 * controller closes its "registration" channel twice on every clean shutdown (the registration
 * manager's shutdown event, then {@code ControllerServer.shutdown}), and the second close warns
 * "Attempting to close NetworkClient that has already been closed". No setting avoids it, and the
 * logger is per class, not per client, so in a JVM that runs the embedded broker the clients'
 * connection warnings go with it; a JVM that only connects to a broker keeps them.
 *
 * <p>A level set on the command line (e.g. {@code -Dorg.slf4j.simpleLogger.log.kafka=debug})
 * is kept, and a default level quieter than these is never made louder. Client loggers
 * ({@code org.apache.kafka.clients}, {@code org.apache.kafka.streams}) are otherwise left to the
 * application.
 */
final class ServerLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";
    private static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
    private static final List<String> SERVER_LOGGERS = List.of(
            "kafka", "state.change.logger", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.server",
            "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.queue",
            "org.apache.kafka.snapshot", "org.apache.kafka.network", "org.apache.kafka.security",
            "org.apache.kafka.common"); // shared with clients, but only lifecycle chatter (app info, metrics) at info
    private static final String CONTROLLER = "org.apache.kafka.controller.QuorumController";
    private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    private ServerLogging() {
    }

    static void quiet() {
        String base = System.getProperty(DEFAULT_LEVEL, "info").trim().toLowerCase(Locale.ROOT);
        SERVER_LOGGERS.forEach(logger -> lower(logger, base, "warn"));
        lower(CONTROLLER, base, "error");
        lower(NETWORK_CLIENT, base, "error");
    }

    /** Sets {@code logger} to {@code level} if that is quieter than the default and no level is set for it. */
    private static void lower(String logger, String base, String level) {
        if (LEVELS.indexOf(base) < LEVELS.indexOf(level) && System.getProperty(PREFIX + logger) == null) {
            System.setProperty(PREFIX + logger, level);
        }
    }
}
