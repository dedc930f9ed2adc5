package io.stepstream.worker;

import io.stepstream.kafka.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How a {@link WorkerService} connects: the Kafka cluster, its topics, its consumer group, the
 * region and account of the ARNs it builds, and its clock.
 *
 * @param kafka Kafka client properties; at least {@code bootstrap.servers}
 * @param topicPrefix the installation's topic prefix ({@code sfn.} by default)
 * @param groupId the consumer group every worker of the installation joins
 * @param workerName this worker's name (shown as workerName in ActivityStarted events)
 * @param region the region of ARNs ({@code us-east-1})
 * @param account the account of ARNs ({@code 123456789012})
 * @param clock stamps the commands the worker writes
 * @param maxInFlight tasks one worker runs at once before it stops fetching more
 * @param instanceId a stable id of this worker across restarts (static group membership: a restarted
 *     worker takes its partitions back at once), or null for dynamic membership
 * @param functionNotFoundAfter how long a function may go without any worker serving it before its
 *     tasks fail with {@code Lambda.ResourceNotFoundException}; applied by the worker that holds
 *     partition 0 of the tasks topic, so give every worker of an installation the same value
 */
public record WorkerConfig(Properties kafka, String topicPrefix, String groupId, String workerName, String region,
                           String account, Clock clock, int maxInFlight, String instanceId,
                           Duration functionNotFoundAfter) {

  /** The default of {@link #maxInFlight}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

  /**
   * The default of {@link #functionNotFoundAfter}: long enough for a worker to restart (or a crashed
   * one's session to expire and another to join) without failing tasks, short enough that a
   * misspelt function name fails within the minute.
   */
  public static final Duration DEFAULT_FUNCTION_NOT_FOUND_AFTER = Duration.ofSeconds(30);

  /** Checks the components. */
  public WorkerConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(workerName, "workerName");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(clock, "clock");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1");
    }
    Objects.requireNonNull(functionNotFoundAfter, "functionNotFoundAfter");
    if (functionNotFoundAfter.isNegative()) {
      throw new IllegalArgumentException("functionNotFoundAfter must not be negative");
    }
  }

  /** A configuration with the {@link #DEFAULT_FUNCTION_NOT_FOUND_AFTER default} time before a function is not found. */
  public WorkerConfig(Properties kafka, String topicPrefix, String groupId, String workerName, String region,
      String account, Clock clock, int maxInFlight, String instanceId) {
    this(kafka, topicPrefix, groupId, workerName, region, account, clock, maxInFlight, instanceId,
        DEFAULT_FUNCTION_NOT_FOUND_AFTER);
  }

  /**
   * The defaults for a cluster: prefix {@code sfn.}, group {@code sfn.workers}, us-east-1,
   * 123456789012, the system clock.
   */
  public static WorkerConfig of(String bootstrapServers, String workerName) {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", bootstrapServers);
    return new WorkerConfig(kafka, "sfn.", "sfn.workers", workerName, "us-east-1", "123456789012",
        Clock.systemUTC(), DEFAULT_MAX_IN_FLIGHT, null);
  }

  /** The same configuration with another topic prefix and the consumer group {@code <prefix>workers}. */
  public WorkerConfig withTopicPrefix(String prefix) {
    return new WorkerConfig(kafka, prefix, prefix + "workers", workerName, region, account, clock, maxInFlight,
        instanceId, functionNotFoundAfter);
  }

  /** The same configuration with another region and account. */
  public WorkerConfig withArns(String newRegion, String newAccount) {
    return new WorkerConfig(kafka, topicPrefix, groupId, workerName, newRegion, newAccount, clock, maxInFlight,
        instanceId, functionNotFoundAfter);
  }

  /** The same configuration with another time before a function nobody serves is not found. */
  public WorkerConfig withFunctionNotFoundAfter(Duration after) {
    return new WorkerConfig(kafka, topicPrefix, groupId, workerName, region, account, clock, maxInFlight,
        instanceId, after);
  }

  /**
   * The consumer group of the workers that serve one function, on its queue
   * ({@code <group>.fn.<function>}). Its members are the function's live servers.
   */
  public String functionGroupId(String function) {
    return groupId + ".fn." + function;
  }

  Topics topics() {
    return new Topics(topicPrefix);
  }

  String tasks() {
    return topicPrefix + "tasks";
  }

  String activityTasks() {
    return topicPrefix + "activity-tasks";
  }

  String standardCommands() {
    return topicPrefix + "standard.commands";
  }

  String expressCommands() {
    return topicPrefix + "express.commands";
  }

  String replies() {
    return topicPrefix + "replies";
  }

  String completions() {
    return topicPrefix + "completions";
  }

  String stateMachines() {
    return topicPrefix + "state-machines";
  }
}
