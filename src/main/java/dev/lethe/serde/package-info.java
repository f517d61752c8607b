/**
 * Events on the wire: Avro SpecificRecords ({@code dev.lethe.events}, generated from
 * {@code schemas/*.avsc}) in the Confluent wire format, with schemas in a registry that speaks
 * the Confluent REST API.
 *
 * <p>The rest of Lethe uses {@link dev.lethe.serde.AvroSerdes} and catches
 * {@link dev.lethe.serde.SerdeException}; everything registry-specific stays in here, so
 * Confluent's own serializers could replace it. {@link dev.lethe.serde.EmbeddedRegistry} runs a
 * real registry (Apicurio) for the embedded mode and the tests. See {@code docs/events.md}.
 */
package dev.lethe.serde;
