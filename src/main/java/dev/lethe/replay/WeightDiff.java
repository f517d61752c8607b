package dev.lethe.replay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** The largest absolute difference between two safetensors state dicts, tensor by tensor. */
final class WeightDiff {
    private WeightDiff() { }

    static double maxAbs(byte[] a, byte[] b) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList x = NDList.decode(m, a);
            NDList y = NDList.decode(m, b);
            if (x.size() != y.size()) {
                return Double.POSITIVE_INFINITY;
            }
            double max = 0;
            for (int i = 0; i < x.size(); i++) {
                NDArray u = x.get(i);
                NDArray w = y.get(i);
                if (!u.getShape().equals(w.getShape()) || !u.getName().equals(w.getName())) {
                    return Double.POSITIVE_INFINITY;
                }
                max = Math.max(max, u.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .sub(w.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)).abs().max().getDouble());
            }
            return max;
        }
    }
}
