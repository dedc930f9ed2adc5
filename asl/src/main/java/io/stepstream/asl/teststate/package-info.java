/** TestState: one state run alone through the interpreter, with its data-flow steps shown. */
package io.stepstream.asl.teststate;
