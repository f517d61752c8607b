package dev.lethe.patch;

import dev.lethe.model.LayerSpec;
import dev.lethe.model.Network;
import dev.lethe.unlearn.LowRankPatch;
import dev.lethe.unlearn.Unlearning;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applying low-rank patches to a network: what the engine does after computing them and what a
 * serving client does with a version's patch artifact, with the same arithmetic, so that both
 * reach the same bytes.
 */
public final class Patches {
    private Patches() { }

    /** Every Conv2d/Linear weight as a FLOAT (out x d) matrix, keyed by its state-dict name. */
    public static Map<String, INDArray> weights(Network net) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (LayerSpec layer : net.layers()) {
            float[] w = net.get(layer.weight()).toFloatArray();
            out.put(layer.weight(), Nd4j.create(w, new long[] {layer.out(), layer.inputDim()}, 'c'));
        }
        return out;
    }

    /**
     * Applies every patch to the network in place (W <- W - A B and bias <- bias + shift, the
     * arithmetic LowRankPatch defines).
     */
    public static void apply(Network net, Map<String, LowRankPatch> patches) {
        Map<String, INDArray> updated = Unlearning.apply(weights(net), patches);
        updated.forEach((name, w) -> net.set(name, w.dup('c').data().asFloat()));
        patches.forEach((weight, p) -> {
            if (p.biasShift() != null) {
                String bias = net.layerOfWeight(weight).biasName();
                INDArray b = Nd4j.createFromArray(net.get(bias).toFloatArray());
                net.set(bias, p.applyToBias(b).data().asFloat());
            }
        });
    }
}
