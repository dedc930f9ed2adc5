package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Requests;

/** The {@code executionArn} member of read requests, checked as AWS checks it. */
final class ExecutionArns {

  private ExecutionArns() {}

  /** The request's execution ARN (STANDARD {@code execution} or EXPRESS {@code express}). */
  static String require(ObjectNode request) {
    String arn = Requests.requiredString(request, "executionArn");
    String[] parts = arn.split(":", -1);
    if (parts.length < 8 || !"arn".equals(parts[0]) || !"states".equals(parts[2])
        || !("execution".equals(parts[5]) || "express".equals(parts[5]))) {
      throw ApiErrors.invalidArn(arn);
    }
    return arn;
  }

  static ApiException doesNotExist(String arn) {
    return new ApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }
}
