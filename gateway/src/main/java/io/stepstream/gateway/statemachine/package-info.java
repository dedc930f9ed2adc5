/** State machine actions and definition validation. */
package io.stepstream.gateway.statemachine;
