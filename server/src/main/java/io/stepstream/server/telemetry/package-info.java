/** Traces over OTLP and execution log destinations: what the process tells the outside about executions. */
package io.stepstream.server.telemetry;
