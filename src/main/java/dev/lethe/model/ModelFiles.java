package dev.lethe.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lethe.data.DataSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model directory: {@code model.safetensors} (the state dict under PyTorch names),
 * {@code manifest.json} and, for a model on data of its own, {@code data.json}. The manifest's sha256 is the hash of the safetensors bytes, checked on
 * every load.
 */
public final class ModelFiles {
    public static final String WEIGHTS = "model.safetensors";
    public static final String MANIFEST = "manifest.json";
    /**
     * Optional: the model's data as a data spec (docs/data.md), for a model that does not learn
     * from Fashion-MNIST. Commands that need data read it from here unless told otherwise, and a
     * registration carries it to the processor.
     */
    public static final String DATA = "data.json";
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFiles() { }

    /** A network with its manifest. Closing it frees the network's tensors. */
    public record Loaded(Network network, Manifest manifest) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    /** The safetensors bytes of the network's state dict; the same weights give the same bytes. */
    public static byte[] weightBytes(Network net) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            net.toNDList().encode(out, NDList.Encoding.SAFETENSORS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes weights and manifest; returns the manifest with the weights' sha256 filled in. */
    public static Manifest write(Path dir, Network net, Manifest manifest) throws IOException {
        Files.createDirectories(dir);
        byte[] weights = weightBytes(net);
        Manifest m = manifest.withWeights(sha256(weights), manifest.testAccuracy());
        Files.write(dir.resolve(WEIGHTS), weights);
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), m);
        return m;
    }

    public static Manifest readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "not a Lethe model directory (train one with: bin/lethe train --arch vgg --out " + dir + ")");
        }
        return JSON.readValue(file.toFile(), Manifest.class);
    }

    public static void writeManifest(Path dir, Manifest m) throws IOException {
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), m);
    }

    /** Loads a model directory and checks its weights against the manifest's sha256. */
    public static Loaded read(Path dir, NDManager manager) throws IOException {
        Manifest m = readManifest(dir);
        byte[] weights = Files.readAllBytes(dir.resolve(WEIGHTS));
        String actual = sha256(weights);
        if (m.sha256() != null && !m.sha256().equals(actual)) {
            throw new IOException(dir.resolve(WEIGHTS) + ": sha256 " + actual + " does not match the manifest's "
                    + m.sha256() + " (weights changed or corrupted)");
        }
        Network net = Architecture.of(m).create(manager, 0);
        loadSafetensors(net, weights);
        return new Loaded(net, m);
    }

    /**
     * Replaces the network's state with the tensors of a safetensors file, whose names and
     * shapes must be exactly the architecture's ({@link StateCheck} names the first mismatch).
     */
    public static void loadSafetensors(Network net, byte[] bytes) {
        StateCheck.require(net.architecture(), tensorShapes(bytes));
        try (NDManager tmp = net.manager().newSubManager()) {
            net.load(NDList.decode(tmp, bytes));
        }
    }

    /** The model's own data spec ({@link #DATA}), or empty for a model on the built-in Fashion-MNIST. */
    public static Optional<DataSpec> readData(Path dir) throws IOException {
        Path file = dir.resolve(DATA);
        return Files.exists(file) ? Optional.of(DataSpec.read(file))
                : Optional.empty();
    }

    /** Records the model's data spec beside its manifest; null records none (Fashion-MNIST). */
    public static void writeData(Path dir, DataSpec spec) throws IOException {
        Path file = dir.resolve(DATA);
        if (spec == null) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(dir);
        Files.writeString(file, spec.toJson() + "\n");
    }

    /**
     * The tensor names and shapes a safetensors file declares, from its header alone (8-byte
     * little-endian length, then JSON), without reading the tensors.
     */
    public static Map<String, long[]> tensorShapes(byte[] safetensors) {
        if (safetensors.length < 8) {
            throw new IllegalArgumentException("not a safetensors file: " + safetensors.length + " bytes");
        }
        long n = ByteBuffer.wrap(safetensors, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > safetensors.length - 8) {
            throw new IllegalArgumentException("not a safetensors file: header length " + n + " in a file of "
                    + safetensors.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(safetensors, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a safetensors file: its header is not JSON", e);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        header.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("__metadata__")) {
                JsonNode shape = f.getValue().path("shape");
                long[] dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.get(i).asLong();
                }
                out.put(f.getKey(), dims);
            }
        });
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM without SHA-256", e);
        }
    }
}
