package io.stepstream.asl.interpreter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Task tokens: opaque to clients, they name the execution (so a SendTaskSuccess can be routed to it
 * by key) and the TaskScheduled event that issued them (so a stale token is recognised).
 */
public final class TaskTokens {

  private TaskTokens() {}

  /** @param sequence the sequence of the TaskScheduled event that issues the token (unique in the execution) */
  public static String token(String executionArn, long sequence) {
    String raw = executionArn + "#" + sequence;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a task with this token is waiting for its result in the execution. */
  public static boolean isPending(io.stepstream.proto.ExecutionStateOrBuilder state, String token) {
    return state.getStatus() == io.stepstream.proto.ExecutionStatus.RUNNING && waits(state.getRootOrBuilder(), token);
  }

  private static boolean waits(io.stepstream.proto.FrameOrBuilder frame, String token) {
    if (frame.hasTask()) {
      return frame.getTaskOrBuilder().getTaskToken().equals(token);
    }
    if (frame.hasParallel()) {
      return frame.getParallelOrBuilder().getBranchesOrBuilderList().stream().anyMatch(branch -> waits(branch, token));
    }
    return frame.hasMap() && frame.getMapOrBuilder().getRunningOrBuilderList().stream().anyMatch(it -> waits(it, token));
  }

  /** The execution ARN inside a token, or null when the token is not one of ours. */
  public static String executionArn(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int hash = raw.lastIndexOf('#');
      return hash > 0 && raw.startsWith("arn:") ? raw.substring(0, hash) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
