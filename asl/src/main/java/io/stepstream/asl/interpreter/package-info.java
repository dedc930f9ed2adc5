/**
 * The interpreter: {@code (state, command) -> (events, effects, next state)}, one handler per ASL
 * state type, and the applier that folds events into state.
 */
package io.stepstream.asl.interpreter;
