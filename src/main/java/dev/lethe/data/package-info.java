/**
 * A model's data: the {@link dev.lethe.data.DataSpec} that says where it is and how its images
 * become the model's input; readers for IDX, CIFAR-10/100 binary and image folders;
 * {@link dev.lethe.data.Datasets}, which loads, checks and fingerprints a spec; the train /
 * validation / test splits; and the small per-class sample bank that unlearning requests draw
 * from. docs/data.md describes the formats and the checks.
 *
 * <p>Plain Java arrays only; nothing here knows about networks, matrices or Kafka.
 */
package dev.lethe.data;
