/** History events rendered as the Step Functions API and its execution logs show them. */
package io.stepstream.asl.history;
