/**
 * Lethe as an operable service: Kafka client settings passed through from the environment
 * (with secrets masked wherever settings are shown), the health endpoints an orchestrator
 * probes, the Prometheus metrics a monitoring system scrapes, and the size of the native thread
 * pools ({@link dev.lethe.ops.NativeThreads}: from the CPU quota, fewer under other load). Nothing here computes or
 * decides anything about a request; the processor only reports to {@link dev.lethe.ops.LetheMetrics}.
 */
package dev.lethe.ops;
