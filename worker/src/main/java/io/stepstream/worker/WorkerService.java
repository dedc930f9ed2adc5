package io.stepstream.worker;

import io.stepstream.kafka.RecordWaiters;
import io.stepstream.proto.ReportCompletion;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.DispatchTask;
import io.stepstream.worker.internals.CommandSink;
import io.stepstream.worker.internals.FunctionResource;
import io.stepstream.worker.internals.HttpTaskResource;
import io.stepstream.worker.internals.Invocation;
import io.stepstream.worker.internals.NestedExecutionResource;
import io.stepstream.kafka.OffsetTracker;
import io.stepstream.worker.internals.Outcome;
import io.stepstream.worker.internals.Resources;
import io.stepstream.worker.internals.StateMachineCatalog;
import io.stepstream.worker.internals.TaskResource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: a stateless member of a consumer group on the tasks topic. Each task
 * ({@link DispatchTask}, keyed by execution ARN) runs on a virtual thread of its own, within the
 * concurrency limit of its function; its result goes back as a command keyed by execution ARN.
 *
 * <p><b>At least once.</b> A task's offset is committed only after its result is acknowledged by
 * Kafka, and only once every earlier task of its partition is finished too. A worker that dies
 * loses nothing: another worker of the group runs the unfinished tasks again, with the same
 * idempotency key; the execution accepts one result per scheduled task and ignores the rest, so a
 * STANDARD execution still takes each transition once.
 *
 * <p><b>Scaling.</b> Start more workers with the same group to share the partitions; grow the
 * tasks topic's partitions while running (workers notice within {@value #METADATA_MAX_AGE_MS} ms).
 *
 * <p>Activity tasks (resource {@code arn:aws:states:...:activity:...}) are not run here: they are
 * moved to the activity-tasks topic, keyed by activity ARN, where the gateway hands them to
 * GetActivityTask pollers.
 */
public final class WorkerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
  /** How often consumers refresh metadata, and so how soon they see new partitions. */
  public static final int METADATA_MAX_AGE_MS = 3_000;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final WorkerConfig config;
  private final TaskHandlers handlers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> activityProducer;
  private final CommandSink commands;
  private final RecordWaiters<ReportCompletion> completions;
  private final StateMachineCatalog catalog;
  private final Resources resources;
  private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("worker-timeouts").daemon().factory());
  private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> limits = new ConcurrentHashMap<>();
  private final Set<Invocation> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread poller;
  private volatile boolean open = true;

  private WorkerService(WorkerConfig config, TaskHandlers handlers) {
    this.config = config;
    this.handlers = handlers;
    this.commands = new CommandSink(config.kafka(), config.standardCommands(), config.expressCommands(), config.clock());
    // Not waiting for the reader to find the end: a worker must not wait for a crashed coordinator's
    // open transactions to be resolved before it starts.
    this.completions = RecordWaiters.onTopic(config.kafka(), config.completions(), ReportCompletion.parser(),
        "worker-completions-reader");
    this.catalog = new StateMachineCatalog(config.kafka(), config.stateMachines());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .executor(invocations).build();
    this.resources = new Resources(new FunctionResource(handlers, http, config.region(), config.account()),
        new HttpTaskResource(http), new NestedExecutionResource(catalog, completions));
    this.activityProducer = new KafkaProducer<>(producerProperties(config.kafka()), new StringSerializer(),
        new ByteArraySerializer());
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
    this.poller = Thread.ofPlatform().name("worker-poller-" + config.workerName()).unstarted(this::pollLoop);
  }

  /**
   * Joins the consumer group and starts running tasks.
   *
   * @param config where and who
   * @param handlers the functions this worker runs
   * @return the running worker; {@link #close()} it to leave the group
   */
  public static WorkerService start(WorkerConfig config, TaskHandlers handlers) {
    WorkerService worker = new WorkerService(config, handlers);
    worker.consumer.subscribe(List.of(config.tasks()), worker.new Rebalance());
    worker.poller.start();
    return worker;
  }

  /** This worker's name. */
  public String name() {
    return config.workerName();
  }

  /** The functions this worker runs. */
  public TaskHandlers handlers() {
    return handlers;
  }

  /** Tasks handed to this worker and not finished yet. */
  public int inFlight() {
    return inFlight.get();
  }

  private void pollLoop() {
    try {
      boolean paused = false;
      while (open) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          dispatch(record);
        }
        commit(false, trackers.keySet());
        // Back-pressure: stop fetching while too many tasks run; the group membership stays.
        if (!paused && inFlight.get() >= config.maxInFlight()) {
          consumer.pause(consumer.assignment());
          paused = true;
        } else if (paused && inFlight.get() < config.maxInFlight() / 2) {
          consumer.resume(consumer.paused());
          paused = false;
        }
      }
    } catch (WakeupException e) {
      // close() woke the poller up.
    } catch (RuntimeException e) {
      LOG.error("The worker {} stopped polling", config.workerName(), e);
    } finally {
      drain();
      try {
        commit(true, trackers.keySet());
      } catch (RuntimeException e) {
        LOG.warn("The worker {} could not commit its last offsets", config.workerName(), e);
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
    long offset = record.offset();
    tracker.started(offset);
    inFlight.incrementAndGet();
    DispatchTask task;
    try {
      task = DispatchTask.parseFrom(record.value());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      LOG.error("Skipping an unreadable task at {}@{}", partition, offset, e);
      finished(tracker, offset);
      return;
    }
    if (Resources.isActivity(task.getResource())) {
      activityProducer.send(new ProducerRecord<>(config.activityTasks(), task.getResource(), record.value()),
          (metadata, error) -> {
            if (error != null) {
              LOG.error("An activity task of {} was not moved; it runs again after a restart", task.getExecutionArn(), error);
            } else {
              finished(tracker, offset);
            }
          });
      return;
    }
    invocations.execute(() -> run(task, tracker, offset));
  }

  private void run(DispatchTask task, OffsetTracker tracker, long offset) {
    Invocation invocation = new Invocation(task, commands);
    invocation.runsOn(Thread.currentThread());
    running.add(invocation);
    if (task.getTimeoutSeconds() > 0) {
      timeouts.schedule(invocation::cancel, task.getTimeoutSeconds(), TimeUnit.SECONDS);
    }
    Outcome outcome;
    try {
      outcome = invoke(invocation);
    } finally {
      running.remove(invocation);
    }
    if (invocation.isCancelled() || (task.getWaitForTaskToken() && outcome instanceof Outcome.Succeeded)) {
      // A cancelled task was already timed out by its execution; a callback task's result comes
      // with its token (SendTaskSuccess), not from the invocation.
      outcome = Outcome.SILENT;
    }
    commands.report(task, outcome).whenComplete((ignored, error) -> {
      if (error != null) {
        // Not finished: the offset stays uncommitted and the task runs again after a rebalance.
        LOG.error("The result of a task of {} was not written", task.getExecutionArn(), error);
      } else {
        finished(tracker, offset);
      }
    });
  }

  private Outcome invoke(Invocation invocation) {
    DispatchTask task = invocation.task();
    TaskResource resource = resources.find(task.getResource());
    if (resource == null) {
      // A resource no worker runs (an AWS service integration): with a task token, whoever holds
      // the token reports the result; without, nothing ever would.
      return task.getWaitForTaskToken() ? Outcome.SILENT
          : new Outcome.Failed("States.Runtime", "No worker runs the resource '" + task.getResource() + "'");
    }
    Semaphore limit = null;
    try {
      JsonNode parameters = Json.parse(task.getInput());
      String key = resource.concurrencyKey(invocation, parameters);
      Semaphore permits = limits.computeIfAbsent(key, k -> new Semaphore(handlers.concurrency(k)));
      permits.acquire();
      limit = permits;
      commands.started(task, config.workerName());
      return resource.run(invocation, parameters);
    } catch (InterruptedException e) {
      return Outcome.SILENT;
    } catch (RuntimeException e) {
      LOG.warn("A task of {} failed unexpectedly", task.getExecutionArn(), e);
      TaskFailure failure = TaskFailure.of(e);
      return new Outcome.Failed(failure.error(), failure.cause());
    } finally {
      if (limit != null) {
        limit.release();
      }
    }
  }

  private void finished(OffsetTracker tracker, long offset) {
    tracker.finished(offset);
    inFlight.decrementAndGet();
  }

  private void commit(boolean sync, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetTracker tracker = trackers.get(partition);
      long offset = tracker == null ? -1 : tracker.committable();
      if (offset >= 0) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          LOG.debug("An offset commit failed; a later one covers it", error);
        }
      });
    }
  }

  /** Lets running tasks finish (and report) for a while before the worker leaves. */
  private void drain() {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    running.forEach(Invocation::abandon);
    commands.flush();
    activityProducer.flush();
  }

  /** Commits what is finished in partitions leaving this worker; their unfinished tasks run again elsewhere. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(true, partitions);
      } catch (RuntimeException e) {
        LOG.warn("Offsets of revoked partitions were not committed", e);
      }
      partitions.forEach(trackers::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(trackers::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Trackers are created with the first record of a partition.
    }
  }

  /** Leaves the group: stops fetching, lets running tasks finish for up to 10 s, commits, closes. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    consumer.wakeup();
    try {
      poller.join(DRAIN.toMillis() + 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    invocations.shutdownNow();
    timeouts.shutdownNow();
    completions.close();
    catalog.close();
    commands.close();
    activityProducer.close();
  }

  private static Properties consumerProperties(WorkerConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    if (config.instanceId() != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupId() + "-" + config.instanceId());
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Tasks written before the group first existed must run too.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // STANDARD tasks are written in the coordinator's transactions: only committed ones exist.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Integer.toString(METADATA_MAX_AGE_MS));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-worker-" + config.workerName());
    return props;
  }

  private static Properties producerProperties(Properties base) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return props;
  }
}
