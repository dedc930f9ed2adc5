/** Which history events of an EXPRESS execution are kept, as its state machine's logging level asks. */
package io.stepstream.asl.logging;
