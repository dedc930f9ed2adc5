/** The execution processor: load state, run the interpreter on a command, store state, forward events and effects. */
package io.stepstream.coordinator.execution;
