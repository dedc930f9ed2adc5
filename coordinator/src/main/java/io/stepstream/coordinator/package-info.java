/** Kafka Streams topologies that host the ASL interpreter: one app for STANDARD (exactly-once), one for EXPRESS. */
package io.stepstream.coordinator;
