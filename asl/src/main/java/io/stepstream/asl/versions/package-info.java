/**
 * State machine versions and aliases as pure functions over the registry record: qualified ARNs, and
 * what one starts an execution on ({@link io.stepstream.asl.versions.StateMachineTarget}), shared by
 * the gateway and the worker's nested executions.
 */
package io.stepstream.asl.versions;
