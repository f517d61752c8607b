/**
 * The linear algebra of training-free class unlearning (Kodge, Saha and Roy, arXiv 2312.00761):
 * Gram matrices of layer inputs, their eigen-bases, scaled projections and the per-layer
 * low-rank weight patches. ND4J in, ND4J out, all arithmetic in double precision; nothing here
 * knows about networks, streams or files.
 *
 * <p>Typical flow for one request: per-layer {@link dev.lethe.unlearn.Gram}s of the retain and
 * forget sets (from the model before the update), {@link dev.lethe.unlearn.Unlearning#bases}
 * to get each layer's {@link dev.lethe.unlearn.Basis}, then {@link
 * dev.lethe.unlearn.Unlearning#patches} to get one {@link dev.lethe.unlearn.LowRankPatch} per
 * layer, applied together.
 */
package dev.lethe.unlearn;
