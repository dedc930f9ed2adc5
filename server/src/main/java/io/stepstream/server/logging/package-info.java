/** Logging of the embedded broker and clients: what is noise and what is a problem. */
package io.stepstream.server.logging;
