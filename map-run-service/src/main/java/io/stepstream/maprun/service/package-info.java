/**
 * The map-run service's Kafka Streams side: the processor that owns each map run (semaphore, counts,
 * tolerance, children, end), its topology, and the I/O pool that reads items and writes results off
 * the stream threads.
 */
package io.stepstream.maprun.service;
