package io.stepstream.asl.versions;

import java.util.Objects;
import java.util.Optional;

/**
 * A state machine ARN taken apart: the state machine, and the qualifier a version or alias ARN adds
 * after its name ({@code arn:aws:states:<region>:<account>:stateMachine:<name>:<qualifier>}). A
 * qualifier of digits names a version ({@code :1}); any other names an alias ({@code :PROD}), whose
 * names AWS requires to contain a character other than a digit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param stateMachineArn the unqualified state machine ARN
 * @param qualifier the version number or alias name, or null for an unqualified ARN
 */
public record QualifiedArn(String stateMachineArn, String qualifier) {

  /** Checks the components. */
  public QualifiedArn {
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
  }

  /**
   * Takes a state machine ARN apart, without checking its region, account or name: callers at the
   * edge check those first (the gateway's {@code Arns}); a Task's {@code StateMachineArn} that does
   * not parse names no state machine.
   *
   * @return empty unless the text is {@code arn:<partition>:states:<region>:<account>:stateMachine:<name>}
   *     with at most one non-empty qualifier after it
   */
  public static Optional<QualifiedArn> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split(":", -1);
    if (parts.length < 7 || parts.length > 8 || !"arn".equals(parts[0]) || !"states".equals(parts[2])
        || !"stateMachine".equals(parts[5]) || parts[6].isEmpty()) {
      return Optional.empty();
    }
    if (parts.length == 7) {
      return Optional.of(new QualifiedArn(text, null));
    }
    if (parts[7].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new QualifiedArn(text.substring(0, text.length() - parts[7].length() - 1), parts[7]));
  }

  /** The ARN of a version of a state machine. */
  public static String version(String stateMachineArn, long number) {
    return stateMachineArn + ":" + number;
  }

  /** The ARN of an alias of a state machine. */
  public static String alias(String stateMachineArn, String name) {
    return stateMachineArn + ":" + name;
  }

  /** True for a version ARN. */
  public boolean isVersion() {
    return qualifier != null && !qualifier.isEmpty() && qualifier.chars().allMatch(c -> c >= '0' && c <= '9')
        && qualifier.length() <= 18;
  }

  /** True for an alias ARN. */
  public boolean isAlias() {
    return qualifier != null && !isVersion();
  }

  /** True for an ARN without qualifier. */
  public boolean isUnqualified() {
    return qualifier == null;
  }

  /** The version number of a version ARN. */
  public long versionNumber() {
    if (!isVersion()) {
      throw new IllegalStateException("not a version ARN: " + value());
    }
    return Long.parseLong(qualifier);
  }

  /** The ARN as text. */
  public String value() {
    return qualifier == null ? stateMachineArn : stateMachineArn + ":" + qualifier;
  }

  @Override
  public String toString() {
    return value();
  }
}
