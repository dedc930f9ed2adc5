/** Benchmarks of Stepstream: JMH measurements of the pure ASL core, run from {@code benchmarks.jar}. */
package io.stepstream.loadtest;
