/** Benchmarks of Stepstream: JMH measurements of the pure ASL core, and the workflows every benchmark runs. */
package io.stepstream.loadtest;
