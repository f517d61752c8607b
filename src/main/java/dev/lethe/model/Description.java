package dev.lethe.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A network as data: its input, its number of classes, the tree of PyTorch modules that maps
 * one to the other, and which weight layers the unlearning edits. docs/architectures.md
 * describes every field and module kind.
 *
 * @param epochs the default training recipe's epochs for this network (null: 4)
 * @param edit the layers the unlearning edits, by layer name (a Conv2d's or Linear's path; an
 *     attention's {@code <path>.in_proj} and {@code <path>.out_proj}); null: every Conv2d with
 *     groups = 1 and every Linear
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Description(
        @JsonProperty(required = true) String format,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Input input,
        @JsonProperty(required = true) int classes,
        Integer epochs,
        List<String> edit,
        @JsonProperty(required = true) List<ModuleSpec> modules) {

    public static final String FORMAT = "lethe-architecture/1";
    private static final int DEFAULT_EPOCHS = 4;

    /** Strict: an unknown field is an error, so a misspelt argument never silently takes its default. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public Description {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("architecture format must be \"" + FORMAT + "\", got " + format);
        }
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("architecture name must be letters, digits, '.', '_' or '-', got "
                    + name);
        }
        if (classes < 2) {
            throw new IllegalArgumentException(name + ": classes must be >= 2, got " + classes);
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException(name + ": epochs must be >= 1, got " + epochs);
        }
        if (modules == null || modules.isEmpty()) {
            throw new IllegalArgumentException(name + ": no modules");
        }
        edit = edit == null ? null : List.copyOf(edit);
        modules = List.copyOf(modules);
    }

    public Description(String name, Input input, int classes, Integer epochs, List<ModuleSpec> modules) {
        this(FORMAT, name, input, classes, epochs, null, modules);
    }

    /**
     * What the network takes: {@code channels x height x width} pixels in [0, 1], normalised
     * inside the network per channel with {@code (x - mean) / std} (a torchvision weight
     * transform's Normalize, travelling with the model).
     */
    public record Input(@JsonProperty(required = true) int channels, @JsonProperty(required = true) int height,
                        @JsonProperty(required = true) int width, @JsonProperty(required = true) List<Double> mean,
                        @JsonProperty(required = true) List<Double> std) {
        public Input {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("input must be at least 1x1x1, got " + channels + "x" + height
                        + "x" + width);
            }
            if (mean == null || std == null || mean.size() != channels || std.size() != channels) {
                throw new IllegalArgumentException("input needs one mean and one std per channel (" + channels
                        + "), got " + mean + " and " + std);
            }
            if (std.stream().anyMatch(s -> !(s > 0))) {
                throw new IllegalArgumentException("input std must be positive, got " + std);
            }
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }

        /** One channel, or several with the same constants. */
        public static Input of(int channels, int height, int width, double mean, double std) {
            return new Input(channels, height, width, Collections.nCopies(channels, mean),
                    Collections.nCopies(channels, std));
        }
    }

    public int defaultEpochs() {
        return epochs == null ? DEFAULT_EPOCHS : epochs;
    }

    public Description withName(String n) {
        return new Description(format, n, input, classes, epochs, edit, modules);
    }

    public Description withEdit(List<String> layers) {
        return new Description(format, name, input, classes, epochs, layers, modules);
    }

    public static Description parse(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree != null && tree.isObject()) {
                Arguments.check(tree);
            }
            return JSON.treeToValue(tree, Description.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an architecture description: " + e.getOriginalMessage()
                    + at(e), e);
        }
    }

    public static Description read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no architecture description there");
        }
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Description fromTree(JsonNode tree) {
        return parse(tree.toString());
    }

    public JsonNode toTree() {
        return JSON.valueToTree(this);
    }

    /**
     * The description as JSON laid out for people: one line per leaf module, containers
     * indented. Parses back to an equal description.
     */
    public String toJson() {
        StringBuilder out = new StringBuilder();
        write(toTree(), "", out);
        return out.append('\n').toString();
    }

    private static void write(JsonNode node, String indent, StringBuilder out) {
        if (node.isObject() && (node.has("modules") || node.has("input"))) {
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.append(indent).append("  ").append(TextNode.valueOf(f.getKey())).append(": ");
                write(f.getValue(), indent + "  ", out);
                out.append(fields.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            out.append("[\n");
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                out.append(indent).append("  ");
                write(array.get(i), indent + "  ", out);
                out.append(i + 1 < array.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            compact(node, out);
        }
    }

    private static void compact(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.append(TextNode.valueOf(f.getKey())).append(": ");
                compact(f.getValue(), out);
                out.append(fields.hasNext() ? ", " : "");
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                compact(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }

    private static String at(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
