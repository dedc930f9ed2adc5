package io.stepstream.asl.definition;

import java.util.List;

/**
 * Reads a Task state's {@code Resource} ARN: its integration pattern ({@code .sync}, {@code .sync:2},
 * {@code .waitForTaskToken}, or none), the resource without it, and whether it is an activity. The
 * one reading of these for the interpreter's hosts: workers (which resource runs a task) and TestState
 * (which resources it may invoke).
 */
public final class TaskResourceArn {

  private static final List<String> PATTERNS = List.of(".waitForTaskToken", ".sync:2", ".sync");

  private TaskResourceArn() {}

  /** The resource without its integration pattern suffix. */
  public static String base(String resource) {
    String pattern = pattern(resource);
    return resource.substring(0, resource.length() - pattern.length());
  }

  /** The integration pattern suffix of a service integration ({@code arn:aws:states:::...}), or the empty string. */
  public static String pattern(String resource) {
    if (resource.startsWith("arn:aws:states:::")) {
      for (String pattern : PATTERNS) {
        if (resource.endsWith(pattern)) {
          return pattern;
        }
      }
    }
    return "";
  }

  /** Whether a resource is an activity ({@code arn:aws:states:<region>:<account>:activity:<name>}). */
  public static boolean isActivity(String resource) {
    String[] parts = resource.split(":", 7);
    return parts.length == 7 && parts[2].equals("states") && !parts[3].isEmpty() && parts[5].equals("activity");
  }
}
