package io.stepstream.projector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the projector reads and how long it keeps histories.
 *
 * @param eventTopics the events topics to materialise (keyed by execution ARN, values
 *     HistoryEventBatch); they must have the same partition count, as Stepstream creates them
 * @param standardRetention how long a finished STANDARD execution stays queryable after it stopped
 * @param expressRetention the same for EXPRESS executions whose events were logged
 * @param sweepInterval how often (wall clock) expired executions are looked for
 * @param sweepBudget at most this many store deletions per sweep, so one sweep cannot stall the
 *     stream thread; what is left is deleted by the next sweeps
 * @param repliesTopic where command replies go once their events are projected (keyed by request id,
 *     partition chosen by the caller), or null to deliver none
 * @param mapRunStatusTopic snapshots of map runs keyed by their parent execution's ARN (partitioned as
 *     the events topics), or null to keep none
 */
public record ProjectorSettings(List<String> eventTopics, Duration standardRetention, Duration expressRetention,
    Duration sweepInterval, int sweepBudget, String repliesTopic, String mapRunStatusTopic) {

  /** A reply whose command is older than this is not delivered: nobody waits for it any more (a rebuild). */
  public static final Duration REPLY_TTL = Duration.ofMinutes(2);

  /** STANDARD histories are kept 90 days by default, as on AWS. */
  public static final Duration DEFAULT_STANDARD_RETENTION = Duration.ofDays(90);
  /** Logged EXPRESS histories are kept 1 day by default (a short window beyond AWS, for debugging). */
  public static final Duration DEFAULT_EXPRESS_RETENTION = Duration.ofDays(1);

  /** Checks the components. */
  public ProjectorSettings {
    eventTopics = List.copyOf(eventTopics);
    if (eventTopics.isEmpty()) {
      throw new IllegalArgumentException("at least one events topic");
    }
    Objects.requireNonNull(standardRetention, "standardRetention");
    Objects.requireNonNull(expressRetention, "expressRetention");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepBudget < 1) {
      throw new IllegalArgumentException("sweepBudget must be >= 1");
    }
  }

  /** The default retentions, replies to {@code repliesTopic}, a sweep a minute of at most 10,000 deletions. */
  public static ProjectorSettings of(List<String> eventTopics, String repliesTopic, String mapRunStatusTopic) {
    return new ProjectorSettings(eventTopics, DEFAULT_STANDARD_RETENTION, DEFAULT_EXPRESS_RETENTION,
        Duration.ofMinutes(1), 10_000, repliesTopic, mapRunStatusTopic);
  }
}
