/** Replay of an execution's recorded history through the current interpreter: determinism checks and past states. */
package io.stepstream.asl.replay;
