package dev.lethe.patch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lethe.model.Architecture;
import dev.lethe.model.ModelFiles;
import dev.lethe.model.Network;
import dev.lethe.unlearn.LowRankPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A version's update as a file: for every edited layer the factors of {@code W_new = W - A B}
 * as float32 tensors {@code <weight>.A} (out x k) and {@code <weight>.B} (k x d), and for the
 * re-centred head its bias shift {@code <weight>.bias_shift} (out), in safetensors. Applying it
 * to the parent's weights with {@link #apply} gives the new version's
 * exact bytes, because the processor applied these very (rounded) factors with the same
 * arithmetic ({@link LowRankPatch#applyTo}).
 */
public final class PatchArtifact {
    private static final String BIAS_SHIFT = ".bias_shift";

    private PatchArtifact() { }

    public static byte[] encode(Map<String, LowRankPatch> patches) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            patches.forEach((layer, p) -> {
                list.add(tensor(m, layer + ".A", floats(p.a()),
                        p.a().rows(), p.a().columns()));
                list.add(tensor(m, layer + ".B", floats(p.b()),
                        p.b().rows(), p.b().columns()));
                if (p.biasShift() != null) {
                    NDArray shift = m.create(floats(p.biasShift()), new Shape(p.biasShift().length()));
                    shift.setName(layer + BIAS_SHIFT);
                    list.add(shift);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.encode(out, NDList.Encoding.SAFETENSORS);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, LowRankPatch> decode(byte[] bytes) {
        Map<String, LowRankPatch> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : NDList.decode(m, bytes)) {
                byName.put(a.getName(), a);
            }
            for (String name : byName.keySet()) {
                if (name.endsWith(".A")) {
                    String layer = name.substring(0, name.length() - 2);
                    NDArray b = byName.get(layer + ".B");
                    if (b == null) {
                        throw new IllegalArgumentException("patch has " + name + " but no " + layer + ".B");
                    }
                    NDArray shift = byName.get(layer + BIAS_SHIFT);
                    out.put(layer, new LowRankPatch(nd4j(byName.get(name)), nd4j(b),
                            shift == null ? null : Nd4j.createFromArray(shift.toType(DataType.FLOAT32, false)
                                    .toFloatArray())));
                }
            }
        }
        return out;
    }

    /** The child's weights: the parent's safetensors with every patched layer updated. */
    public static byte[] apply(String architecture, byte[] parentWeights, byte[] patch) {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.parse(architecture).create(m, 0)) {
            ModelFiles.loadSafetensors(net, parentWeights);
            Patches.apply(net, decode(patch));
            return ModelFiles.weightBytes(net);
        }
    }

    private static float[] floats(org.nd4j.linalg.api.ndarray.INDArray x) {
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    private static NDArray tensor(NDManager m, String name, float[] values, long rows, long cols) {
        NDArray a = m.create(values, new Shape(rows, cols));
        a.setName(name);
        return a;
    }

    private static org.nd4j.linalg.api.ndarray.INDArray nd4j(NDArray a) {
        Shape s = a.getShape();
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        return Nd4j.create(v, new long[] {s.get(0), s.get(1)}, 'c');
    }
}
