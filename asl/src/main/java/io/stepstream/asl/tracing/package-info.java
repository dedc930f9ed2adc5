/**
 * Traces of executions: spans for the execution, its states and its tasks, derived from the history
 * events with ids and times that do not depend on where or how often they are computed.
 */
package io.stepstream.asl.tracing;
