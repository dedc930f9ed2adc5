package io.stepstream.coordinator;

/**
 * The topics one coordinator application reads and writes.
 *
 * @param commands commands keyed by execution ARN (input)
 * @param events history event batches keyed by execution ARN, or null to write none (EXPRESS by default)
 * @param tasks work for workers
 * @param completions terminal results
 * @param stateMachines the compacted registry, read as a global store
 * @param mapRunCommands commands of the map-run service, keyed by map run ARN (map runs started and
 *     stopped, children ended)
 * @param standardCommands STANDARD executions' commands (a {@code .sync} child's end reported to its parent)
 * @param expressCommands EXPRESS executions' commands (the same)
 * @param replies where the answers to API writes go, in the same transaction as the command's events
 *     (keyed by request id, in the partition the caller follows); null to send them with the events
 *     for the history projector to deliver once projected. Only an exactly-once application may
 *     answer directly: its answer is visible only once its events are committed, so a read that
 *     begins after the answer and waits for the projection to catch up sees them (see
 *     {@code docs/architecture.md}). An at-least-once application's records reach their partitions
 *     in no guaranteed order.
 */
public record CoordinatorTopics(String commands, String events, String tasks, String completions, String stateMachines,
    String mapRunCommands, String standardCommands, String expressCommands, String replies) {

  /** The same topics, reading another generation of the commands topic. */
  public CoordinatorTopics withCommands(String generationTopic) {
    return new CoordinatorTopics(generationTopic, events, tasks, completions, stateMachines, mapRunCommands,
        standardCommands, expressCommands, replies);
  }
}
