package io.stepstream.worker.internals;

import java.util.List;

/**
 * Reads Task resource ARNs: which built-in resource runs a task, and its integration pattern
 * ({@code .sync}, {@code .sync:2}, {@code .waitForTaskToken}, or none).
 */
public final class Resources {

  private static final List<String> PATTERNS = List.of(".waitForTaskToken", ".sync:2", ".sync");

  private final FunctionResource functions;
  private final HttpTaskResource http;
  private final NestedExecutionResource nested;

  public Resources(FunctionResource functions, HttpTaskResource http, NestedExecutionResource nested) {
    this.functions = functions;
    this.http = http;
    this.nested = nested;
  }

  /** The resource without its integration pattern suffix. */
  public static String base(String resource) {
    String pattern = pattern(resource);
    return resource.substring(0, resource.length() - pattern.length());
  }

  /** The integration pattern suffix of a resource, or the empty string. */
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

  /** The built-in resource that runs a task's resource, or null when none does. */
  public TaskResource find(String resource) {
    String base = base(resource);
    if (FunctionResource.handles(base)) {
      return functions;
    }
    if (base.equals(HttpTaskResource.RESOURCE)) {
      return http;
    }
    if (base.equals(NestedExecutionResource.RESOURCE)) {
      return nested;
    }
    return null;
  }
}
