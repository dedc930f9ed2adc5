/** The read side of executions: GetExecutionHistory, DescribeExecution, ListExecutions, DescribeStateMachineForExecution, answered from the history projector. */
package io.stepstream.gateway.history;
