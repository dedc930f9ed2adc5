package io.stepstream.gateway.api;

import java.util.Objects;

import io.stepstream.asl.versions.QualifiedArn;

/**
 * Builds and reads the ARNs of this installation's resources:
 * {@code arn:aws:states:<region>:<account>:stateMachine:<name>}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param region the region in every ARN, such as {@code us-east-1}
 * @param account the 12-digit account id in every ARN
 */
public record Arns(String region, String account) {

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";
  /** The account used when none is configured. */
  public static final String DEFAULT_ACCOUNT = "123456789012";

  /** Checks the components. */
  public Arns {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
  }

  /** Returns the default region and account. */
  public static Arns defaults() {
    return new Arns(DEFAULT_REGION, DEFAULT_ACCOUNT);
  }

  /** Returns the ARN of the state machine with this name. */
  public String stateMachine(String name) {
    return prefix() + "stateMachine:" + name;
  }

  /**
   * Checks that a text is a state machine ARN and returns it.
   *
   * <p>An ARN of another region or account is well formed but names nothing here; callers find
   * no state machine for it, as AWS does for another account's ARN.
   *
   * @param arn the text from the request
   * @return the same text
   * @throws ApiException {@code InvalidArn} when it is not a state machine ARN
   */
  public String requireStateMachine(String arn) {
    String[] parts = arn.split(":", -1);
    if (parts.length < 7 || !parts[0].equals("arn") || parts[1].isEmpty() || !parts[2].equals("states")) {
      throw ApiErrors.invalidArn("Invalid ARN prefix: " + arn);
    }
    if (!parts[5].equals("stateMachine")) {
      throw ApiErrors.invalidArn("Resource type not valid in this context: " + parts[5]);
    }
    if (parts.length > 8 || parts[6].isEmpty()) {
      throw ApiErrors.invalidArn("Invalid ARN: " + arn);
    }
    return arn;
  }

  /**
   * Checks that a text is a state machine, version or alias ARN and takes it apart.
   *
   * @throws ApiException {@code InvalidArn} when it is none of them
   */
  public QualifiedArn requireQualified(String arn) {
    requireStateMachine(arn);
    return QualifiedArn.parse(arn).orElseThrow(() -> ApiErrors.invalidArn("Invalid ARN: " + arn));
  }

  private String prefix() {
    return "arn:aws:states:" + region + ":" + account + ":";
  }
}
