/**
 * The methods Lethe is judged against, behind one small interface, {@link
 * dev.lethe.baselines.UnlearningMethod}: each edits a loaded network in place so that it forgets
 * whole classes, and says how long its own work took.
 *
 * <ul>
 *   <li>{@code lethe}: the project's training-free projection ({@link dev.lethe.engine.ForgetJob}).
 *   <li>{@code retrain}: the gold standard; a fresh network trained on the retain data only, with
 *       the base model's recipe.
 *   <li>{@code finetune}: a few epochs of ordinary training on the retain data.
 *   <li>{@code neggrad+}: descent on the retain data and ascent on the forget data together.
 *   <li>{@code ssd}: Selective Synaptic Dampening (Foster et al., AAAI 2024), the other
 *       training-free method.
 * </ul>
 *
 * <p>{@link dev.lethe.baselines.Comparison} runs every method on every class from fresh loads of
 * one model and measures them all with {@link dev.lethe.engine.Evaluation}, so that they are
 * judged identically. Every method is seeded: the same model, data, classes and seed give the
 * same weights.
 */
package dev.lethe.baselines;
