/** The coordinator's metrics: AWS's execution, task and activity metrics per state machine, and the timers' delay. */
package io.stepstream.coordinator.metrics;
