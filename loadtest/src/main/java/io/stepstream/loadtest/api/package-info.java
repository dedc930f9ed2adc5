/**
 * The load generator for the Step Functions API of a running server: open-loop or capped
 * closed-loop start rates, latency histograms, and a raw Kafka produce baseline measured in the
 * same run. The entry point is {@link io.stepstream.loadtest.LoadTest}.
 */
package io.stepstream.loadtest.api;
