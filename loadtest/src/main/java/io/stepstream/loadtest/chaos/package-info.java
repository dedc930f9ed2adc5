/**
 * The chaos harness: a multi-broker KRaft cluster and Stepstream instances as separate processes,
 * named STANDARD executions started and read through the gateways while processes are killed with
 * {@code kill -9}, and a report of what was lost, duplicated or denied. The entry point is
 * {@link io.stepstream.loadtest.chaos.ChaosRun}; {@code loadtest/README.md} describes a run.
 */
package io.stepstream.loadtest.chaos;
