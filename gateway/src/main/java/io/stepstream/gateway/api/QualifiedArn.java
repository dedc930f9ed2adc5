package io.stepstream.gateway.api;

import java.util.Objects;

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
