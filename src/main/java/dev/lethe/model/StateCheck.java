package dev.lethe.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Whether a state dict (tensor names and shapes, e.g. a safetensors file's header) is exactly an
 * architecture's, as PyTorch's {@code load_state_dict(strict=True)} demands: every tensor present,
 * none extra, every shape equal. A mismatch is reported by naming the first one, in the
 * architecture's order, then any tensors it does not have.
 */
public final class StateCheck {
    private StateCheck() { }

    /** Every mismatch, first one first; empty when the state dict fits. */
    public static List<String> mismatches(Architecture a, Map<String, long[]> found) {
        List<String> out = new ArrayList<>();
        Map<String, long[]> expected = a.stateShapes();
        expected.forEach((name, shape) -> {
            long[] has = found.get(name);
            if (has == null) {
                out.add("missing tensor " + name + " (expected shape " + Compiler.shape(shape) + ")");
            } else if (!Arrays.equals(has, shape)) {
                out.add("wrong shape for " + name + ": expected " + Compiler.shape(shape) + ", found "
                        + Compiler.shape(has));
            }
        });
        found.forEach((name, shape) -> {
            if (!expected.containsKey(name)) {
                out.add("unexpected tensor " + name + " (shape " + Compiler.shape(shape) + "): " + a.id()
                        + " has no such tensor");
            }
        });
        return out;
    }

    /** Refuses a state dict that does not fit, naming its first mismatch and counting the rest. */
    public static void require(Architecture a, Map<String, long[]> found) {
        List<String> m = mismatches(a, found);
        if (m.isEmpty()) {
            return;
        }
        String more = m.size() == 1 ? "" : " (and " + (m.size() - 1) + " more mismatch" + (m.size() == 2 ? "" : "es")
                + ")";
        throw new IllegalArgumentException("the weights do not fit " + a.id() + ": " + m.get(0) + more + hint(a, found));
    }

    /** A common cause: a whole checkpoint saved under a prefix (DataParallel's "module."). */
    private static String hint(Architecture a, Map<String, long[]> found) {
        Map<String, long[]> expected = a.stateShapes();
        String any = expected.keySet().iterator().next();
        for (String name : found.keySet()) {
            if (!expected.containsKey(name) && name.endsWith("." + any)) {
                String prefix = name.substring(0, name.length() - any.length());
                return "; every name may carry the prefix '" + prefix + "' (strip it when saving: "
                        + "{k.removeprefix('" + prefix + "'): v for k, v in state_dict.items()})";
            }
        }
        return "";
    }
}
