package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.DispatchTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the queued tasks of functions that no worker serves: once a function's group has had no
 * member for {@code notFoundAfter}, each task in its queue fails with
 * {@code Lambda.ResourceNotFoundException}, as Lambda answers for a function it does not have.
 *
 * <p>A function's servers are the members of its consumer group, so Kafka's group membership (its
 * session timeout for a crashed worker) says who is alive; nothing else is declared. Only the
 * {@code elected} worker (the one holding partition 0 of the tasks topic) scans, every second.
 *
 * <p>The tasks are read outside the group (assigned partitions) and their offsets committed to the
 * function's group as a consumer without membership, which Kafka accepts only while the group has no
 * member: a worker that starts serving the function fences the commit off and runs whatever was
 * not committed. The group is also asked again just before each batch fails.
 */
public final class UnservedFunctions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UnservedFunctions.class);
  private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);
  /** At most this many tasks fail per function and scan, so one scan cannot run for long. */
  private static final int TASKS_PER_SCAN = 1_000;
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private final Admin admin;
  private final Topics topics;
  private final Function<String, String> groupOf;
  private final Properties kafka;
  private final Duration notFoundAfter;
  private final BooleanSupplier elected;
  private final CommandSink commands;
  private final String workerName;
  private final String region;
  private final String account;
  /** Each function seen without a server, and since when (System.nanoTime). Only the scan thread uses it. */
  private final Map<String, Long> unservedSince = new HashMap<>();
  private final ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("worker-unserved-functions").daemon().factory());

  /**
   * Creates the scanner; nothing runs before {@link #start()}.
   *
   * @param admin a connected admin client; not closed here
   * @param topics the installation's topics
   * @param groupOf the consumer group of a function's servers
   * @param kafka client properties ({@code bootstrap.servers})
   * @param notFoundAfter how long a function goes without a server before its tasks fail
   * @param elected whether this worker is the one that scans now
   * @param commands where the failures go
   * @param workerName this worker's name, in the TaskStarted events of the failed tasks
   * @param region region of the function ARNs in the failures' causes
   * @param account account of the function ARNs in the failures' causes
   */
  public UnservedFunctions(Admin admin, Topics topics, Function<String, String> groupOf, Properties kafka,
      Duration notFoundAfter, BooleanSupplier elected, CommandSink commands, String workerName, String region,
      String account) {
    this.admin = admin;
    this.topics = topics;
    this.groupOf = groupOf;
    this.kafka = kafka;
    this.notFoundAfter = notFoundAfter;
    this.elected = elected;
    this.commands = commands;
    this.workerName = workerName;
    this.region = region;
    this.account = account;
  }

  /** Scans every second from now on. */
  public void start() {
    scans.scheduleWithFixedDelay(this::scanSafely, SCAN_INTERVAL.toMillis(), SCAN_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void scanSafely() {
    try {
      scan();
    } catch (RuntimeException e) {
      LOG.warn("Looking for functions without a worker failed; trying again in {}", SCAN_INTERVAL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scan() throws InterruptedException {
    if (!elected.getAsBoolean()) {
      // Another worker scans; should this one be elected again, it starts counting afresh.
      unservedSince.clear();
      return;
    }
    String prefix = topics.functionTasksPrefix();
    Set<String> functions = answer(admin.listTopics().names()).stream().filter(name -> name.startsWith(prefix))
        .map(name -> name.substring(prefix.length())).collect(Collectors.toSet());
    unservedSince.keySet().retainAll(functions);
    if (functions.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    Map<String, Boolean> served = served(functions);
    served.forEach((function, isServed) -> {
      if (isServed) {
        unservedSince.remove(function);
      } else {
        unservedSince.putIfAbsent(function, now);
      }
    });
    for (Map.Entry<String, Long> entry : List.copyOf(unservedSince.entrySet())) {
      if (now - entry.getValue() >= notFoundAfter.toNanos()) {
        failQueued(entry.getKey());
      }
    }
  }

  /** Whether each function's group has a member now. */
  private Map<String, Boolean> served(Set<String> functions) throws InterruptedException {
    Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(
        functions.stream().map(groupOf).toList()).describedGroups();
    Map<String, Boolean> served = new HashMap<>();
    for (String function : functions) {
      try {
        served.put(function, !answer(described.get(groupOf.apply(function))).members().isEmpty());
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
        served.put(function, false);
      }
    }
    return served;
  }

  /** Fails the tasks queued for a function without a server, as long as none starts serving it. */
  private void failQueued(String function) throws InterruptedException {
    String topic = topics.functionTasks(function);
    String group = groupOf.apply(function);
    List<TopicPartition> partitions = answer(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic)
        .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    if (!queued(group, partitions)) {
      return;
    }
    try (KafkaConsumer<String, byte[]> queue = new KafkaConsumer<>(readerProperties(group), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      queue.assign(partitions);
      Map<TopicPartition, Long> ends = queue.endOffsets(partitions, ANSWER);
      int failed = 0;
      while (failed < TASKS_PER_SCAN && partitions.stream().anyMatch(p -> queue.position(p, ANSWER) < ends.get(p))) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        queue.poll(Duration.ofMillis(200)).forEach(batch::add);
        if (batch.isEmpty()) {
          continue;
        }
        if (served(Set.of(function)).get(function)) {
          unservedSince.remove(function);
          return;
        }
        failAll(batch);
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        batch.forEach(r -> next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
        queue.commitSync(next, ANSWER);
        failed += batch.size();
      }
      if (failed > 0) {
        LOG.info("Failed {} tasks of function {}: no worker has served it for {}", failed, function, notFoundAfter);
      }
    } catch (KafkaException e) {
      // Most likely a worker joined the group between the check and the commit: it runs the rest.
      LOG.info("Stopped failing tasks of function {}: {}", function, e.toString());
      unservedSince.remove(function);
    }
  }

  /** Whether the group has not consumed every record of its queue. */
  private boolean queued(String group, List<TopicPartition> partitions) throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed = answer(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, ListOffsetsResultInfo> earliest = answer(admin.listOffsets(
        partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all());
    Map<TopicPartition, ListOffsetsResultInfo> latest = answer(admin.listOffsets(
        partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all());
    return partitions.stream().anyMatch(p -> {
      OffsetAndMetadata done = committed.get(p);
      long from = done == null ? earliest.get(p).offset() : Math.max(done.offset(), earliest.get(p).offset());
      return latest.get(p).offset() > from;
    });
  }

  /** Reports each task started (as a worker that found no function) and failed; returns once Kafka has them. */
  private void failAll(List<ConsumerRecord<String, byte[]>> batch) {
    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      DispatchTask task;
      try {
        task = DispatchTask.parseFrom(record.value());
      } catch (InvalidProtocolBufferException | NullPointerException e) {
        LOG.error("Skipping an unreadable task at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
        continue;
      }
      String function = record.topic().substring(topics.functionTasksPrefix().length());
      written.add(commands.started(task, workerName));
      written.add(commands.report(task, FunctionResource.notFound(task, function, region, account)));
    }
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
  }

  private Properties readerProperties(String group) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-worker-unserved-" + workerName);
    return props;
  }

  private static <T> T answer(KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The cluster refused a request", e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("The cluster did not answer within " + ANSWER, e);
    }
  }

  /** Stops scanning; waits for a scan under way. */
  @Override
  public void close() {
    scans.shutdownNow();
    try {
      scans.awaitTermination(ANSWER.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
