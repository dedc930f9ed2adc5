/** The history projector: execution histories, summaries and per-state-machine listings materialised from the events topics. */
package io.stepstream.projector;
