/** Retry and Catch: error-name matching and back-off math (interval, BackoffRate, MaxDelaySeconds, FULL jitter). */
package io.stepstream.asl.retry;
