package dev.lethe.ops;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka client properties handed through to Kafka untouched, so that whatever a cluster needs
 * (SASL, TLS, client ids, rack, static membership) works without Lethe knowing its name:
 * {@code lethe.kafka.security.protocol} in a properties file or as a system property, or
 * {@code LETHE_KAFKA_SECURITY_PROTOCOL} in the environment, becomes {@code security.protocol}.
 * Also the one place that decides what a secret is, so every printed setting is masked alike.
 */
public final class KafkaSettings {
    /** The prefix of a pass-through key in properties files and system properties. */
    public static final String PREFIX = "lethe.kafka.";
    /** The prefix of a pass-through variable in the environment. */
    public static final String ENV_PREFIX = "LETHE_KAFKA_";
    public static final String MASK = "****";
    // "key" also catches ssl.key.password and key-store settings; masking a harmless
    // key.serializer is cheaper than printing one secret.
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|key).*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@]+@");
    /** Group membership belongs to the processor; a standalone reader or writer must not join its group. */
    private static final java.util.Set<String> PROCESSOR_ONLY = java.util.Set.of("group.id", "group.instance.id",
            "application.id");

    private KafkaSettings() { }

    /** {@code LETHE_KAFKA_SASL_JAAS_CONFIG=...} -> {@code sasl.jaas.config=...}; other variables are ignored. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                out.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return out;
    }

    /** {@code lethe.kafka.client.rack=...} -> {@code client.rack=...}, from a properties file or system properties. */
    public static Map<String, String> fromProperties(Map<?, ?> props) {
        Map<String, String> out = new TreeMap<>();
        props.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length() && v != null) {
                out.put(key.substring(PREFIX.length()), String.valueOf(v).trim());
            }
        });
        return out;
    }

    /** System properties, then the environment (which wins): what a process started without a config file passes on. */
    public static Map<String, String> fromProcess() {
        Map<String, String> out = fromProperties(System.getProperties());
        out.putAll(fromEnvironment(System.getenv()));
        return out;
    }

    /** The process's pass-through settings for a client outside the processor's group (producers, readers, admin). */
    public static Properties standaloneClient() {
        return standaloneClient(fromProcess());
    }

    public static Properties standaloneClient(Map<String, String> passThrough) {
        Properties p = new Properties();
        passThrough.forEach((k, v) -> {
            if (!PROCESSOR_ONLY.contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }

    public static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    /** A copy fit to print: secret values replaced, user info removed from URLs. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, isSecret(k) && v != null && !v.isEmpty() ? MASK : maskUrl(v)));
        return out;
    }

    /** {@code https://user:pw@host/x} -> {@code https://****@host/x}; other text unchanged. */
    public static String maskUrl(String text) {
        return text == null ? null : URL_USER_INFO.matcher(text).replaceAll(MASK + "@");
    }
}
