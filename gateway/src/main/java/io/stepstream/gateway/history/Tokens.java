package io.stepstream.gateway.history;

import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.PageTokens;

/**
 * Pagination tokens: opaque to clients, and bound to the request they continue (the same execution
 * and order, or the same state machine and status filter); anything else is {@code InvalidToken}.
 */
final class Tokens {

  private Tokens() {}

  /** A token continuing a history after event {@code lastId}. */
  static String history(String executionArn, boolean reverse, long lastId) {
    return encode("history", executionArn, Boolean.toString(reverse), Long.toString(lastId));
  }

  /** The last event id of a history token issued for this execution and order. */
  static long historyAfter(String token, String executionArn, boolean reverse) {
    String[] parts = decode(token, 4);
    if (!parts[0].equals("history") || !parts[1].equals(executionArn)
        || !parts[2].equals(Boolean.toString(reverse))) {
      throw ApiErrors.invalidToken(token);
    }
    return number(token, parts[3]);
  }

  /** A token continuing a listing after the given execution. */
  static String executions(String stateMachineArn, String statusFilter, long startMs, String executionArn) {
    return encode("executions", stateMachineArn, statusFilter, Long.toString(startMs), executionArn);
  }

  /** The (start, ARN) of the last listed execution, from a token issued for this machine and filter. */
  static String[] executionsAfter(String token, String stateMachineArn, String statusFilter) {
    String[] parts = decode(token, 5);
    if (!parts[0].equals("executions") || !parts[1].equals(stateMachineArn) || !parts[2].equals(statusFilter)) {
      throw ApiErrors.invalidToken(token);
    }
    number(token, parts[3]);
    return new String[] {parts[3], parts[4]};
  }

  private static String encode(String... parts) {
    return PageTokens.encode(parts);
  }

  private static String[] decode(String token, int count) {
    return PageTokens.decode(token, count);
  }

  private static long number(String token, String text) {
    return PageTokens.number(token, text);
  }
}
