package dev.lethe.baselines;

import dev.lethe.data.Splits;
import dev.lethe.model.Manifest;
import dev.lethe.model.Network;
import java.util.Set;

/** A way to make a trained network forget whole classes. */
public interface UnlearningMethod {
    /** The name users select it by ({@code bin/lethe forget --method ID}). */
    String id();

    /** One sentence for reports: what the method does and with which hyper-parameters. */
    String description();

    /** The seed a caller that names none passes: the base model's training seed, unless overridden. */
    default long defaultSeed(Manifest manifest) {
        return ForgetData.recipe(manifest).seed();
    }

    /**
     * Makes {@code net} forget {@code forget} in place, on top of whatever {@code manifest} says it
     * already forgot. {@code splits.train()} is the training data the model learned from; a method
     * that chooses a hyper-parameter per request may score candidates on {@code
     * splits.validation()}; none reads the test split. The outcome's seconds cover this call and
     * nothing else (no evaluation).
     *
     * @throws IllegalArgumentException for a request {@link dev.lethe.engine.ForgetJob#validate} refuses
     */
    Outcome run(Network net, Manifest manifest, Splits splits, Set<Integer> forget, long seed);
}
