package dev.lethe.model;

/**
 * A layer's input Gram matrix (row-major, dim x dim, double), how many columns it sums, and the
 * sum of those columns (dim).
 */
public record LayerGram(String layer, int dim, double[] values, long columns, double[] columnSum) { }
