/** Throttling and backpressure at the API's edge: AWS's token-bucket quotas and a bound on writes awaiting their owner. */
package io.stepstream.gateway.throttle;
