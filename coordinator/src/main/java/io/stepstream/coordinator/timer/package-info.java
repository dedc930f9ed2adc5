/** Durable timers: a RocksDB store keyed by (due time, execution, timer), scanned by a wall-clock punctuator. */
package io.stepstream.coordinator.timer;
