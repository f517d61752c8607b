package dev.lethe.model;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network's architecture: a {@link Description}, checked and compiled once. The shipped ones
 * are named (src/main/resources/architectures/NAME.json; docs/architectures.md gives each with
 * its PyTorch equivalent); anyone else's comes as a description of its own.
 */
public final class Architecture {
    private static final String RESOURCES = "/architectures/";
    private static final Map<String, Architecture> SHIPPED = new LinkedHashMap<>();

    public static final Architecture MLP = shipped("mlp");
    public static final Architecture VGG = shipped("vgg");
    public static final Architecture RESNET = shipped("resnet");
    public static final Architecture RESNET18_CIFAR = shipped("resnet18-cifar");
    public static final Architecture RESNET18 = shipped("resnet18");
    public static final Architecture VGG11_BN = shipped("vgg11-bn");
    public static final Architecture VIT = shipped("vit");

    private final Description description;
    private final boolean shipped;
    private final Compiler.Compiled compiled;

    private Architecture(Description description, boolean shipped) {
        this.description = description;
        this.shipped = shipped;
        this.compiled = Compiler.compile(description);
    }

    private static Architecture shipped(String name) {
        try (InputStream in = Architecture.class.getResourceAsStream(RESOURCES + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("shipped architecture " + name + " missing from the classpath");
            }
            Description d = Description.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Architecture a = new Architecture(d, true);
            SHIPPED.put(name, a);
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped architectures, in the order the docs list them. */
    public static List<Architecture> shipped() {
        return List.copyOf(SHIPPED.values());
    }

    /** A shipped architecture by name, or a description given inline as JSON text. */
    public static Architecture parse(String nameOrJson) {
        String s = nameOrJson.trim();
        if (s.startsWith("{")) {
            return of(Description.parse(s));
        }
        Architecture a = SHIPPED.get(s.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown architecture '" + nameOrJson + "' (expected "
                    + String.join(", ", SHIPPED.keySet()) + ", or a description of your own: --spec FILE)");
        }
        return a;
    }

    /**
     * The architecture of a description. One that takes a shipped name must be that shipped
     * description, so that a name always means one network.
     */
    public static Architecture of(Description d) {
        Architecture known = SHIPPED.get(d.name());
        if (known != null) {
            if (!known.description.equals(d)) {
                throw new IllegalArgumentException("description '" + d.name() + "' differs from the shipped "
                        + d.name() + "; give it a name of its own");
            }
            return known;
        }
        return new Architecture(d, false);
    }

    public static Architecture fromFile(Path file) throws IOException {
        return of(Description.read(file));
    }

    /** A model directory's architecture: the description its manifest carries, else the shipped name. */
    public static Architecture of(Manifest m) {
        if (m.architectureSpec() == null) {
            return parse(m.architecture());
        }
        Architecture a = of(Description.fromTree(m.architectureSpec()));
        if (!a.id().equals(m.architecture())) {
            throw new IllegalArgumentException("manifest names architecture " + m.architecture()
                    + " but carries the description of " + a.id());
        }
        return a;
    }

    public Network create(NDManager manager, long seed) {
        return new Network(this, manager, seed);
    }

    public String id() {
        return description.name();
    }

    public Description description() {
        return description;
    }

    /** Whether Lethe ships this description (a manifest then needs only the name). */
    public boolean isShipped() {
        return shipped;
    }

    /** Epochs of the default training recipe. */
    public int defaultEpochs() {
        return description.defaultEpochs();
    }

    /** The state dict this architecture has: every tensor's name and shape, in declaration order. */
    public Map<String, long[]> stateShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        compiled.params().forEach(p -> out.put(p.name(), p.shape().clone()));
        return out;
    }

    /** Trainable parameters (BatchNorm's running statistics and counter excluded), as PyTorch counts them. */
    public long parameterCount() {
        long n = 0;
        for (Compiler.Param p : compiled.params()) {
            if (p.trainable()) {
                long size = 1;
                for (long d : p.shape()) {
                    size *= d;
                }
                n += size;
            }
        }
        return n;
    }

    Compiler.Compiled compiled() {
        return compiled;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && a.description.equals(description);
    }

    @Override
    public int hashCode() {
        return description.hashCode();
    }

    @Override
    public String toString() {
        return id();
    }
}
