/**
 * An in-memory host for the interpreter: runs one execution to its end with a fake clock and task
 * handlers in the same thread, for tests, the conformance run and benchmarks.
 */
package io.stepstream.asl.driver;
