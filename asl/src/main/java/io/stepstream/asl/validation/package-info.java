/**
 * Static validation of state machine definitions, reporting every problem found as diagnostics shaped
 * like the Step Functions {@code ValidateStateMachineDefinition} API.
 */
package io.stepstream.asl.validation;
