/**
 * Data for Lethe: reading IDX files, the Fashion-MNIST train / validation / test splits,
 * and the small per-class sample bank that unlearning requests draw from.
 *
 * <p>Plain Java arrays only; nothing here knows about networks, matrices or Kafka.
 */
package dev.lethe.data;
