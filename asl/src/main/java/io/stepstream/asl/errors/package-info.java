/** The predefined States.* error names and the exception that carries a runtime ASL error. */
package io.stepstream.asl.errors;
