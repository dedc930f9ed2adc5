package io.stepstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The names of Stepstream's topics and their creation.
 *
 * <p>Every name is the prefix (default {@code sfn.}) followed by a fixed suffix, so several
 * Stepstream installations can share one Kafka cluster. Immutable and thread-safe.
 */
public final class Topics {

  /** The prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "sfn.";

  /**
   * How long STANDARD history events stay on their topic: 90 days, as AWS keeps a finished
   * execution's history; the projector drops its copy after the same time.
   */
  public static final Duration STANDARD_EVENTS_RETENTION = Duration.ofDays(90);
  /** How long logged EXPRESS history events stay on their topic (a short debugging window). */
  public static final Duration EXPRESS_EVENTS_RETENTION = Duration.ofDays(1);

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

  private final String prefix;

  /**
   * Creates the topic layout for a prefix.
   *
   * @param prefix prepended to every topic name; letters, digits, '.', '_' and '-' only (may be empty)
   * @throws IllegalArgumentException if the prefix holds characters Kafka rejects in topic names
   */
  public Topics(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException("Topic prefix may hold only letters, digits, '.', '_' and '-': " + prefix);
    }
    this.prefix = prefix;
  }

  /** Returns the layout with the {@link #DEFAULT_PREFIX default prefix}. */
  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  /** Returns the prefix. */
  public String prefix() {
    return prefix;
  }

  /** Compacted registry of state machines, keyed by state machine ARN. */
  public String stateMachines() {
    return prefix + "state-machines";
  }

  /** Commands of STANDARD executions, keyed by execution id. */
  public String standardCommands() {
    return prefix + "standard.commands";
  }

  /** History events of STANDARD executions, keyed by execution id. */
  public String standardEvents() {
    return prefix + "standard.events";
  }

  /** Commands of EXPRESS executions, keyed by execution id. */
  public String expressCommands() {
    return prefix + "express.commands";
  }

  /** History events of EXPRESS executions, keyed by execution id. */
  public String expressEvents() {
    return prefix + "express.events";
  }

  /** Work for task workers. */
  public String tasks() {
    return prefix + "tasks";
  }

  /**
   * The queue of one function's tasks, {@code <prefix>tasks.fn.<function>}: a worker that takes a
   * task of a function it does not serve from {@link #tasks()} moves it here, where the workers that
   * serve the function consume it in a group of their own. Not part of {@link #all()}: each is
   * created when a worker first serves or routes the function ({@link #createFunctionTasks}).
   *
   * @param function a function name as a worker registers it (letters, digits, '-' and '_')
   */
  public String functionTasks(String function) {
    return functionTasksPrefix() + function;
  }

  /** What the name of every {@link #functionTasks function queue} starts with. */
  public String functionTasksPrefix() {
    return prefix + "tasks.fn.";
  }

  /** Terminal results of executions, for StartSyncExecution and parent executions. */
  public String completions() {
    return prefix + "completions";
  }

  /** Compacted registry of activities, keyed by activity ARN. */
  public String activities() {
    return prefix + "activities";
  }

  /**
   * Tasks of activity resources, keyed by activity ARN: the worker service moves them here from
   * {@link #tasks()}, and the gateway hands them to GetActivityTask pollers.
   */
  public String activityTasks() {
    return prefix + "activity-tasks";
  }

  /**
   * Outcomes of commands that API callers wait for, keyed by request id: each gateway follows one
   * partition and asks for its replies there. Written by the history projector once a command's
   * events are projected.
   */
  public String replies() {
    return prefix + "replies";
  }

  /**
   * Compacted directory of history projector instances, keyed by instance id: each one's internal
   * address and the partitions it holds, so an instance without a projector (a gateway alone) knows
   * where to send reads.
   */
  public String instances() {
    return prefix + "instances";
  }

  /** Commands of the map-run service, keyed by map run ARN. */
  public String mapRunCommands() {
    return prefix + "maprun.commands";
  }

  /**
   * Snapshots of map runs (what DescribeMapRun answers), keyed by map run ARN; the history projector
   * keeps the latest of each.
   */
  public String mapRunStatus() {
    return prefix + "maprun.status";
  }

  /**
   * Execution log records (the CloudWatch Logs records of state machines with a
   * {@code loggingConfiguration}) of every log group the server maps to no other destination,
   * keyed by execution ARN; see {@link ExecutionLogDestinations}.
   */
  public String executionLogs() {
    return prefix + "execution-logs";
  }

  /** Returns every topic name, the compacted registries first. */
  public List<String> all() {
    return List.of(stateMachines(), activities(), instances(), standardCommands(), standardEvents(), expressCommands(),
        expressEvents(), tasks(), activityTasks(), completions(), replies(), mapRunCommands(), mapRunStatus(),
        executionLogs());
  }

  /**
   * Creates every topic that does not exist yet; existing topics are left as they are (their
   * partition count is not changed). Blocks until the cluster has answered.
   *
   * @param admin a connected admin client; not closed here
   * @param partitions partitions of each new topic, at least 1
   * @param replicationFactor replicas of each new topic, at least 1
   * @return the names of the topics this call created (empty if all existed)
   * @throws IllegalStateException if the cluster refuses a topic for another reason than its existence
   */
  public List<String> create(Admin admin, int partitions, short replicationFactor) {
    return create(admin, all(), partitions, replicationFactor);
  }

  /**
   * Creates those of the named topics that do not exist yet (the Stepstream topics, or topics the
   * configuration names, such as execution log destinations), like {@link #create(Admin, int, short)}.
   *
   * @return the names of the topics this call created
   */
  public List<String> create(Admin admin, java.util.Collection<String> names, int partitions,
      short replicationFactor) {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be >= 1");
    }
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot list topics", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing topics", e);
    }
    List<NewTopic> missing = new ArrayList<>();
    for (String name : names) {
      if (!existing.contains(name)) {
        missing.add(newTopic(name, partitions, replicationFactor));
      }
    }
    List<String> created = new ArrayList<>();
    admin.createTopics(missing).values().forEach((name, future) -> {
      try {
        future.get();
        created.add(name);
      } catch (ExecutionException e) {
        // Another instance may have created it between listing and creating.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Cannot create topic " + name, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating topic " + name, e);
      }
    });
    created.sort(null);
    awaitServed(admin, List.copyOf(names));
    return created;
  }

  /**
   * Creates the {@link #functionTasks queue of a function} unless it exists, shaped like the tasks
   * topic: its partition count and replication factor, and the {@code min.insync.replicas} that goes
   * with that factor. Blocks until the broker serves it. Safe to call from several processes at once.
   *
   * @param admin a connected admin client; not closed here
   * @param function a function name (letters, digits, '-' and '_')
   * @return the topic's name
   * @throws IllegalStateException if the tasks topic does not exist or the cluster refuses the topic
   */
  public String createFunctionTasks(Admin admin, String function) {
    String name = functionTasks(function);
    try {
      TopicDescription tasks = admin.describeTopics(List.of(tasks())).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(tasks());
      short replicationFactor = (short) tasks.partitions().getFirst().replicas().size();
      admin.createTopics(List.of(newTopic(name, tasks.partitions().size(), replicationFactor))).all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + name, e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("The cluster did not answer in time while creating " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
    awaitServed(admin, List.of(name));
    return name;
  }

  /**
   * Waits until the broker serves every topic: creation returns once the controller has
   * committed it, a moment before brokers have the new metadata, and clients that come first get
   * UnknownTopicOrPartition.
   */
  private static void awaitServed(Admin admin, List<String> names) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        if (described.values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw new IllegalStateException("Topics are not served: " + names, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Topics have no leader after 30 s: " + names);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics", e);
      }
    }
  }

  /**
   * The {@code min.insync.replicas} that goes with a replication factor: 2 from 3 replicas on (an
   * acknowledged write survives the loss of one broker, and one broker may be down), else 1.
   */
  public static int minInSyncReplicas(short replicationFactor) {
    return replicationFactor >= 3 ? 2 : 1;
  }

  /**
   * The existing topics whose partition count differs from {@code partitions}, each as a sentence
   * for the operator: creation leaves existing topics as they are.
   */
  public List<String> partitionMismatches(Admin admin, int partitions) {
    List<String> mismatches = new ArrayList<>();
    try {
      // A commands topic counts by its newest generation (grown with `stepstream partitions`).
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> names = new ArrayList<>();
      for (String name : all()) {
        List<CommandGenerations.Generation> generations = CommandGenerations.among(existing, name);
        names.add(generations.isEmpty() ? name : generations.get(generations.size() - 1).topic());
      }
      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      for (TopicDescription topic : described.values()) {
        boolean singlePartition = topic.name().equals(stateMachines()) || topic.name().equals(activities())
            || topic.name().equals(instances());
        if (!singlePartition && topic.partitions().size() != partitions) {
          mismatches.add("Topic " + topic.name() + " has " + topic.partitions().size() + " partitions, not the "
              + partitions + " asked for: existing topics keep their partition count (grow them with `stepstream "
              + "partitions --to N`)");
        }
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot describe the topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing the topics", e);
    }
    return mismatches;
  }

  /**
   * Creates one more topic (a new generation of a commands topic) with the settings of Stepstream's
   * topics (min.insync.replicas from the replication factor); an existing one is left as it is.
   */
  public void createOne(Admin admin, String name, int partitions, short replicationFactor) {
    try {
      admin.createTopics(List.of(newTopic(name, partitions, replicationFactor))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + name, e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot create topic " + name + ": no answer in 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
    awaitServed(admin, List.of(name));
  }

  private NewTopic newTopic(String name, int partitions, short replicationFactor) {
    NewTopic created = newTopicWithoutIsr(name, partitions, replicationFactor);
    Map<String, String> configs = new java.util.HashMap<>(created.configs() == null ? Map.of() : created.configs());
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSyncReplicas(replicationFactor)));
    return created.configs(configs);
  }

  private NewTopic newTopicWithoutIsr(String name, int partitions, short replicationFactor) {
    NewTopic topic = new NewTopic(name, partitions, replicationFactor);
    if (name.equals(stateMachines()) || name.equals(activities())) {
      // The registry is read whole at start by every instance; a single partition keeps it
      // ordered and cheap to restore. Compaction keeps the latest record per ARN forever.
      return new NewTopic(name, 1, replicationFactor)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    if (name.equals(mapRunStatus())) {
      // The latest snapshot of each map run is what anyone reads.
      return topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    if (name.equals(instances())) {
      return new NewTopic(name, 1, replicationFactor)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    if (name.equals(replies())) {
      // A reply is read within seconds or never.
      return topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())));
    }
    if (name.equals(standardEvents()) || name.equals(expressEvents())) {
      Duration retention = name.equals(standardEvents()) ? STANDARD_EVENTS_RETENTION : EXPRESS_EVENTS_RETENTION;
      return topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
    }
    return topic;
  }

  @Override
  public String toString() {
    return "Topics[prefix=" + prefix + "]";
  }
}
