/** State machine definitions from the compacted registry topic, compiled once per revision. */
package io.stepstream.coordinator.registry;
