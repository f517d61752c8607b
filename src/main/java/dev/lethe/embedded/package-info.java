/**
 * The embedded mode: a real single-node Kafka broker in Lethe's JVM
 * ({@link dev.lethe.embedded.EmbeddedBroker}), and with it the schema registry and the artifact
 * store under one state directory ({@link dev.lethe.embedded.EmbeddedStack}), so that a newcomer
 * needs no Kafka installed and every command sees the same history.
 *
 * <p>Layout of the state directory ({@code $LETHE_HOME}, default {@code ~/.lethe}):
 * {@code kafka/} (the broker's log directory, formatted once), {@code registry/} (Apicurio's
 * H2 database and its log), {@code artifacts/} (content-addressed files),
 * {@code endpoints.properties} (present while a stack runs) and {@code embedded.lock}.
 */
package dev.lethe.embedded;
