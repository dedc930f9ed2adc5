/** Execution actions of the API: start (async and sync), stop, describe, and task results. */
package io.stepstream.gateway.execution;
