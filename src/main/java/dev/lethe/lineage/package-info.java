/**
 * The event log's rules without Kafka: the checks a registration or request must pass
 * ({@link dev.lethe.lineage.Requests}), how version events are built
 * ({@link dev.lethe.lineage.Versions}) and what they record of a request
 * ({@link dev.lethe.lineage.Parameters}), the lineage hash chain ({@link dev.lethe.lineage.Lineage})
 * over the canonical Avro encoding ({@link dev.lethe.lineage.CanonicalAvro}), and the topic names.
 * The stream processor, replay, the client and the benchmarks share them; only
 * {@code dev.lethe.stream} holds Kafka Streams code.
 */
package dev.lethe.lineage;
