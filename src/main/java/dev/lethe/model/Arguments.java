package dev.lethe.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names the first unknown field or module type of a description by where it is
 * ({@code features.3 (MaxPool2d): unknown argument 'kernal_size'}), before binding: otherwise a
 * misspelt argument shows up as a missing one, or as a field of no particular module.
 */
final class Arguments {
    private static final Map<String, Class<?>> TYPES = new TreeMap<>();

    static {
        for (JsonSubTypes.Type t : ModuleSpec.class.getAnnotation(JsonSubTypes.class).value()) {
            TYPES.put(t.name(), t.value());
        }
    }

    private Arguments() { }

    static void check(JsonNode root) {
        known(root, Description.class, "the description", List.of());
        if (root.path("input").isObject()) {
            known(root.get("input"), Description.Input.class, "input", List.of());
        }
        modules(root.path("modules"), "");
    }

    private static void modules(JsonNode list, String prefix) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String name = m.path("name").isTextual() ? m.get("name").asText() : Integer.toString(i);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            String type = m.path("type").asText(null);
            if (type == null) {
                throw new IllegalArgumentException(path + ": a module needs a \"type\"");
            }
            Class<?> cls = TYPES.get(type);
            if (cls == null) {
                throw new IllegalArgumentException(path + ": unknown module type '" + type + "' (known: "
                        + String.join(", ", TYPES.keySet()) + ")");
            }
            known(m, cls, path + " (" + type + ")", List.of("type"));
            modules(m.path("modules"), path);
        }
    }

    private static void known(JsonNode node, Class<?> cls, String where, List<String> extra) {
        List<String> names = new ArrayList<>(extra);
        for (BeanPropertyDefinition p : Description.JSON.getDeserializationConfig()
                .introspect(Description.JSON.constructType(cls)).findProperties()) {
            names.add(p.getName());
        }
        Iterator<String> fields = node.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!names.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown argument '" + f + "' (arguments: "
                        + String.join(", ", names.subList(extra.size(), names.size())) + ")");
            }
        }
    }
}
