package dev.lethe.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads Kubernetes manifests with Kubernetes' own model classes (fabric8) and Strimzi's, strictly:
 * a kind the models do not know, or a field (at any depth) that a model does not have, is an
 * error naming the document and the field. The models themselves are lenient (they keep unknown
 * fields in "additional properties"), so strictness is a walk over the parsed objects.
 */
final class StrictManifests {
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        SERIALIZATION.registerKubernetesResource("kafka.strimzi.io/v1beta2", "KafkaTopic", KafkaTopic.class);
    }

    private StrictManifests() { }

    static List<HasMetadata> read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** Every YAML document in {@code yaml}; {@code where} names the source in error messages. */
    static List<HasMetadata> parse(String yaml, String where) {
        List<HasMetadata> out = new ArrayList<>();
        String[] docs = DOCUMENT_SEPARATOR.split(yaml);
        for (int i = 0; i < docs.length; i++) {
            if (docs[i].lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            String doc = where + " document " + (i + 1);
            Object parsed;
            try {
                parsed = SERIALIZATION.unmarshal(docs[i]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(doc + ": not a Kubernetes object: " + e.getMessage(), e);
            }
            if (!(parsed instanceof HasMetadata resource) || parsed instanceof GenericKubernetesResource) {
                throw new IllegalArgumentException(doc + ": kind not known to the Kubernetes or Strimzi models: "
                        + (parsed instanceof HasMetadata h ? h.getApiVersion() + "/" + h.getKind() : String.valueOf(parsed)));
            }
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(resource, resource.getKind(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(doc + " (" + resource.getKind() + " " + resource.getMetadata().getName()
                        + "): unknown or mistyped fields " + unknown);
            }
            out.add(resource);
        }
        return out;
    }

    /** Walks the model's getters; any non-empty "additional properties" map is a field the schema lacks. */
    private static void collectUnknownFields(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnknownFields(list.get(i), path + "[" + i + "]", unknown, seen);
            }
            return;
        }
        String pkg = node.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            collectUnknownFields(value, path + "." + property(m.getName()), unknown, seen);
        }
    }

    private static String property(String getter) {
        String p = getter.substring(3);
        return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
