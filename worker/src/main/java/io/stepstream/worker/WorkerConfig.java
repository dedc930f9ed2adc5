package io.stepstream.worker;

import java.time.Clock;
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
 */
public record WorkerConfig(Properties kafka, String topicPrefix, String groupId, String workerName, String region,
                           String account, Clock clock, int maxInFlight, String instanceId) {

  /** The default of {@link #maxInFlight}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

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
    return new WorkerConfig(kafka, prefix, prefix + "workers", workerName, region, account, clock, maxInFlight, instanceId);
  }

  /** The same configuration with another region and account. */
  public WorkerConfig withArns(String newRegion, String newAccount) {
    return new WorkerConfig(kafka, topicPrefix, groupId, workerName, newRegion, newAccount, clock, maxInFlight, instanceId);
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

  String completions() {
    return topicPrefix + "completions";
  }

  String stateMachines() {
    return topicPrefix + "state-machines";
  }
}
