package io.stepstream.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * An execution's ARN, the key of every execution record on Kafka:
 * {@code arn:aws:states:<region>:<account>:execution:<machine>:<name>} for STANDARD and
 * {@code arn:aws:states:<region>:<account>:express:<machine>:<name>:<id>} for EXPRESS.
 *
 * <p>The one place where execution ARNs are built and taken apart. Immutable and thread-safe.
 *
 * @param value the ARN text
 * @param express true for an EXPRESS execution ({@code express} resource type)
 * @param stateMachineArn the ARN of the state machine it runs
 * @param name the execution's name
 */
public record ExecutionArn(String value, boolean express, String stateMachineArn, String name) {

  /** Checks the components. */
  public ExecutionArn {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Reads an execution ARN.
   *
   * @return empty when the text is not an execution ARN of either type
   */
  public static Optional<ExecutionArn> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split(":", -1);
    if (parts.length < 8 || !"arn".equals(parts[0]) || parts[1].isEmpty() || !"states".equals(parts[2])
        || parts[6].isEmpty() || parts[7].isEmpty()) {
      return Optional.empty();
    }
    boolean express = "express".equals(parts[5]);
    if (!express && !"execution".equals(parts[5])) {
      return Optional.empty();
    }
    String machine = String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "stateMachine", parts[6]);
    return Optional.of(new ExecutionArn(text, express, machine, parts[7]));
  }

  /** The ARN of a new STANDARD execution: its name is its identity. */
  public static ExecutionArn standard(String stateMachineArn, String name) {
    return new ExecutionArn(stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name, false,
        stateMachineArn, name);
  }

  /** The ARN of a new EXPRESS execution: a name may be reused, so an id follows it. */
  public static ExecutionArn express(String stateMachineArn, String name, String id) {
    return new ExecutionArn(stateMachineArn.replace(":stateMachine:", ":express:") + ":" + name + ":" + id, true,
        stateMachineArn, name);
  }

  /** Whether an ARN text names an EXPRESS execution, without parsing the rest of it. */
  public static boolean isExpress(String executionArn) {
    return executionArn.contains(":express:");
  }

  /**
   * The partition of the execution's records on a topic of {@code partitions} partitions: the
   * producer's default partitioner over the ARN as key, so every execution topic (commands, events)
   * and every Streams task of the same partition count agree.
   */
  public static int partition(String executionArn, int partitions) {
    return Utils.toPositive(Utils.murmur2(executionArn.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public String toString() {
    return value;
  }
}
