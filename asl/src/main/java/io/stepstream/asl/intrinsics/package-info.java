/**
 * The intrinsic functions of the States Language ({@code States.Format}, {@code States.Array}, ...):
 * a parser that compiles a call once, at definition load, and the evaluation of the compiled call.
 */
package io.stepstream.asl.intrinsics;
