/** The state machine registry: an in-memory view of the compacted state-machines topic. */
package io.stepstream.gateway.registry;
