package dev.lethe.baselines;

import dev.lethe.data.Dataset;
import dev.lethe.engine.ForgetSpec;
import dev.lethe.model.Architecture;
import dev.lethe.model.Manifest;
import dev.lethe.model.Training;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The retain and forget sides of the training data, and the checks every method shares. */
public final class ForgetData {
    private ForgetData() { }

    /** The cumulative forgotten set after this request; refuses what ForgetJob refuses. */
    public static Set<Integer> validate(Manifest manifest, Set<Integer> forget) {
        Set<Integer> already = manifest.forgottenClasses();
        return ForgetSpec.allForgotten(forget, already, manifest.labels().size());
    }

    /** How the model was trained; a manifest without a recipe gets its architecture's default one. */
    static Training.Recipe recipe(Manifest manifest) {
        return manifest.recipe() != null ? manifest.recipe()
                : Training.Recipe.defaults(Architecture.parse(manifest.architecture()));
    }

    /** Training samples of every class not in {@code forgotten}, in their original order. */
    static Dataset retain(Dataset train, Set<Integer> forgotten) {
        return train.select(indices(train, forgotten, false));
    }

    /** Training samples of {@code classes}, in their original order. */
    static Dataset of(Dataset train, Set<Integer> classes) {
        return train.select(indices(train, classes, true));
    }

    private static int[] indices(Dataset d, Set<Integer> classes, boolean inside) {
        int[] out = new int[d.size()];
        int k = 0;
        for (int i = 0; i < d.size(); i++) {
            if (classes.contains(d.label(i)) == inside) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

}
