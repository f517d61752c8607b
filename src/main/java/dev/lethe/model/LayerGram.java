package dev.lethe.model;

/**
 * A layer's input Gram matrix (row-major, dim x dim, double), how many columns it sums, and the
 * sum of those columns (dim); {@code weight} is the state-dict name of the layer's weight.
 */
public record LayerGram(String layer, String weight, int dim, double[] values, long columns, double[] columnSum) { }
