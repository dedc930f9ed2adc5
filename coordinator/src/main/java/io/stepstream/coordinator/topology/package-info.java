/** The coordinator's topology, built in one static factory that production and tests share. */
package io.stepstream.coordinator.topology;
