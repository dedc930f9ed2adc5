package io.stepstream.gateway.registry;

import java.util.Optional;

import io.stepstream.proto.StateMachineRecord;

/**
 * What a registry mutation decided, as a value: the record to write, if any, and the answer to give
 * once it is written. A decision only reads the registry; {@link StateMachineRegistry#mutate} writes.
 *
 * @param write the full new state of one state machine, or empty when nothing changes
 * @param answer what the action answers
 */
public record Decision<T>(Optional<StateMachineRecord> write, T answer) {

  /** Changes nothing and answers at once. */
  public static <T> Decision<T> answer(T answer) {
    return new Decision<>(Optional.empty(), answer);
  }

  /** Writes {@code record}, replacing the previous record of its ARN, then answers. */
  public static <T> Decision<T> write(StateMachineRecord record, T answer) {
    return new Decision<>(Optional.of(record), answer);
  }
}
