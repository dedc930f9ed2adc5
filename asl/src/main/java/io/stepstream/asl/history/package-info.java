/** History events as the Step Functions API shows them (GetExecutionHistory's JSON). */
package io.stepstream.asl.history;
