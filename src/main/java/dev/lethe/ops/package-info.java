/**
 * Lethe as an operable service: Kafka client settings passed through from the environment
 * (with secrets masked wherever settings are shown), the health endpoints an orchestrator
 * probes, and the Prometheus metrics a monitoring system scrapes. Nothing here computes or
 * decides anything about a request; the processor only reports to {@link dev.lethe.ops.LetheMetrics}.
 */
package dev.lethe.ops;
