package dev.lethe.model;

/** A layer's input Gram matrix (row-major, dim x dim, double) and how many columns it sums. */
public record LayerGram(String layer, int dim, double[] values, long columns) { }
