package io.stepstream.worker;

import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.kafka.Failover;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.asl.json.Json;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.worker.internals.CommandSink;
import io.stepstream.worker.internals.FunctionResource;
import io.stepstream.worker.internals.HttpTaskResource;
import io.stepstream.worker.internals.Invocation;
import io.stepstream.worker.internals.NestedExecutionResource;
import io.stepstream.worker.internals.Outcome;
import io.stepstream.worker.internals.Resources;
import io.stepstream.worker.internals.StateMachineCatalog;
import io.stepstream.worker.internals.TaskQueue;
import io.stepstream.worker.internals.TaskResource;
import io.stepstream.worker.internals.UnservedFunctions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: a member of the installation's consumer group on the tasks topic, and of one group per
 * function it serves, on that function's queue. Each task ({@link DispatchTask}, keyed by execution
 * ARN) runs on a virtual thread of its own, within the concurrency limit of its function; its result
 * goes back as a command keyed by execution ARN.
 *
 * <p><b>Routing.</b> Every worker runs the built-in resources (HTTP Task, nested executions) and so
 * takes any task from the tasks topic. A task of a function that this worker does not serve is
 * moved to the function's queue ({@code <prefix>tasks.fn.<function>}), which only the workers that
 * serve the function consume; a worker never fails a task for a function it lacks. When a function
 * has had no worker for {@link WorkerConfig#functionNotFoundAfter}, its queued tasks fail with
 * {@code Lambda.ResourceNotFoundException} ({@link UnservedFunctions}). Activity tasks (resource
 * {@code arn:aws:states:...:activity:...}) are moved to the activity-tasks topic, keyed by activity
 * ARN, where the gateway hands them to GetActivityTask pollers.
 *
 * <p><b>At least once.</b> A task's offset is committed only after its result (or its move) is
 * acknowledged by Kafka, and only once every earlier task of its partition is finished too. A worker
 * that dies loses nothing: another worker runs (or moves) the unfinished tasks again, with the same
 * idempotency key; the execution accepts one result per scheduled task and ignores the rest, so a
 * STANDARD execution still takes each transition once.
 *
 * <p><b>Tasks with a reply address.</b> TestState sends the task of a function to the tasks topic as
 * an execution's task comes there, with the address of the gateway that waits for it and a deadline
 * ({@code DispatchTask.reply_to}, {@code deadline_ms}): it is routed and run the same way (an
 * unserved function's task fails the same way), its outcome goes to that address and nowhere else
 * ({@link CommandSink}), and it is cancelled at its deadline, or skipped when taken after it.
 *
 * <p><b>Scaling.</b> Start more workers with the same group to share the partitions; grow the
 * tasks topic's partitions (or a function queue's) while running (workers notice within
 * {@value #METADATA_MAX_AGE_MS} ms).
 */
public final class WorkerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
  /** How often consumers refresh metadata, and so how soon they see new partitions. */
  public static final int METADATA_MAX_AGE_MS = 3_000;
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final WorkerConfig config;
  private final TaskHandlers handlers;
  private final Topics topics;
  private final Admin admin;
  private final TaskQueue tasks;
  private final List<TaskQueue> functionQueues = new ArrayList<>();
  private final UnservedFunctions unserved;
  /** Moves tasks: activity tasks to the activity-tasks topic, tasks of other functions to their queues. */
  private final KafkaProducer<String, byte[]> mover;
  private final CommandSink commands;
  private final RecordWaiters<ReportCompletion> completions;
  private final StateMachineCatalog catalog;
  private final Resources resources;
  private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("worker-timeouts").daemon().factory());
  private final Map<String, Semaphore> limits = new ConcurrentHashMap<>();
  /** The function queues known to exist, so a move asks the cluster only once per function. */
  private final Set<String> queues = ConcurrentHashMap.newKeySet();
  private final Set<Invocation> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean open = true;

  private WorkerService(WorkerConfig config, TaskHandlers handlers) {
    this.config = config;
    this.handlers = handlers;
    this.topics = config.topics();
    this.admin = Admin.create(config.kafka());
    this.commands = new CommandSink(config.kafka(), config.standardCommands(), config.expressCommands(),
        config.replies(), config.clock());
    // Not waiting for the reader to find the end: a worker must not wait for a crashed coordinator's
    // open transactions to be resolved before it starts.
    this.completions = RecordWaiters.onTopic(config.kafka(), config.completions(), ReportCompletion.parser(),
        "worker-completions-reader");
    this.catalog = new StateMachineCatalog(config.kafka(), config.stateMachines());
    HttpClient http = HttpTaskResource.client()
        .executor(invocations).build();
    this.resources = new Resources(new FunctionResource(handlers, http, config.region(), config.account()),
        new HttpTaskResource(http), new NestedExecutionResource(catalog, completions));
    this.mover = new KafkaProducer<>(producerProperties(config), new StringSerializer(),
        new ByteArraySerializer());
    this.tasks = new TaskQueue(config.tasks(), consumerProperties(config, config.groupId(), ""), this::route,
        () -> { }, inFlight, config.maxInFlight(), "worker-poller-" + config.workerName());
    for (String function : handlers.functionNames()) {
      functionQueues.add(new TaskQueue(topics.functionTasks(function),
          consumerProperties(config, config.functionGroupId(function), "-fn-" + function), this::runHere,
          () -> queues.add(topics.createFunctionTasks(admin, function)), inFlight, config.maxInFlight(),
          "worker-poller-" + config.workerName() + "-fn-" + function));
    }
    this.unserved = new UnservedFunctions(admin, topics, config::functionGroupId, config.kafka(),
        config.functionNotFoundAfter(), () -> tasks.holds(0), commands, config.workerName(), config.region(),
        config.account());
  }

  /**
   * The worker's consumers (its tasks queue and one per function it serves), for binding their client
   * metrics (consumer lag) to a metrics registry; nothing else may use them.
   */
  public java.util.List<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumersForMetrics() {
    java.util.List<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers = new java.util.ArrayList<>();
    consumers.add(tasks.metricsSource());
    functionQueues.forEach(queue -> consumers.add(queue.metricsSource()));
    return consumers;
  }

  /**
   * Joins the consumer groups and starts running tasks. Returns at once; the queues of the worker's
   * functions are created (shaped like the tasks topic) on their polling threads.
   *
   * @param config where and who
   * @param handlers the functions this worker runs
   * @return the running worker; {@link #close()} it to leave the groups
   */
  public static WorkerService start(WorkerConfig config, TaskHandlers handlers) {
    WorkerService worker = new WorkerService(config, handlers);
    worker.tasks.start();
    worker.functionQueues.forEach(TaskQueue::start);
    worker.unserved.start();
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

  /** A task from the tasks topic: run here, or moved to the queue of its activity or function. */
  private void route(ConsumerRecord<String, byte[]> record, Runnable done) {
    DispatchTask task = parse(record, done);
    if (task == null) {
      return;
    }
    if (TaskResourceArn.isActivity(task.getResource())) {
      move(config.activityTasks(), task.getResource(), record.value(), task, done);
      return;
    }
    invocations.execute(() -> {
      String function = functionServedElsewhere(task);
      if (function == null) {
        run(task, done);
      } else {
        move(functionQueue(function), task.getExecutionArn(), record.value(), task, done);
      }
    });
  }

  /** A task from the queue of a function this worker serves. */
  private void runHere(ConsumerRecord<String, byte[]> record, Runnable done) {
    DispatchTask task = parse(record, done);
    if (task != null) {
      invocations.execute(() -> run(task, done));
    }
  }

  private static DispatchTask parse(ConsumerRecord<String, byte[]> record, Runnable done) {
    try {
      return DispatchTask.parseFrom(record.value());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      LOG.error("Skipping an unreadable task at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      done.run();
      return null;
    }
  }

  /**
   * The function a task invokes when this worker does not serve it and some worker could (its name
   * is a function name), else null: the task runs here (a malformed or impossible name fails here
   * as Lambda would answer it).
   */
  private String functionServedElsewhere(DispatchTask task) {
    if (!FunctionResource.handles(TaskResourceArn.base(task.getResource()))) {
      return null;
    }
    String function;
    try {
      function = FunctionResource.functionName(task.getResource(), Json.parse(task.getInput()));
    } catch (Json.InvalidJsonException e) {
      return null;
    }
    return function != null && TaskHandlers.isFunctionName(function) && !handlers.serves(function) ? function : null;
  }

  /** The queue of a function, created (like the tasks topic) if it does not exist; waits while the cluster cannot answer. */
  private String functionQueue(String function) {
    String topic = topics.functionTasks(function);
    while (!queues.contains(topic) && open) {
      try {
        queues.add(topics.createFunctionTasks(admin, function));
      } catch (RuntimeException e) {
        LOG.warn("Cannot create the queue of function {}; trying again in {}", function, RETRY, e);
        try {
          Thread.sleep(RETRY);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return topic;
  }

  /** Moves a task to another topic; it is done here once Kafka has it there. */
  private void move(String topic, String key, byte[] value, DispatchTask task, Runnable done) {
    if (!open) {
      return; // Not done: it is moved again after the partition moves.
    }
    mover.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        LOG.error("A task of {} was not moved to {}; it is moved again after a restart", task.getExecutionArn(), topic,
            error);
      } else {
        done.run();
      }
    });
  }

  private void run(DispatchTask task, Runnable done) {
    long limitMs = timeLimitMs(task);
    if (limitMs == 0) {
      // A task whose caller stopped waiting (TestState's, past its deadline): nobody takes its outcome.
      done.run();
      return;
    }
    Invocation invocation = new Invocation(task, commands);
    invocation.runsOn(Thread.currentThread());
    running.add(invocation);
    if (limitMs > 0) {
      timeouts.schedule(invocation::cancel, limitMs, TimeUnit.MILLISECONDS);
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
        done.run();
      }
    });
  }

  /**
   * How long a task may run from now before it is cancelled, in milliseconds; -1 for no limit, 0 when
   * its time is already up. An execution's task has its TimeoutSeconds (its execution times it out
   * too); a task with a reply address has its caller's deadline, after which nobody takes its outcome.
   */
  private long timeLimitMs(DispatchTask task) {
    if (task.hasReplyTo()) {
      return Math.max(0, task.getDeadlineMs() - config.clock().millis());
    }
    return task.getTimeoutSeconds() > 0 ? TimeUnit.SECONDS.toMillis(task.getTimeoutSeconds()) : -1;
  }

  private Outcome invoke(Invocation invocation) {
    DispatchTask task = invocation.task();
    TaskResource resource = resources.find(task.getResource());
    if (resource == null) {
      // A resource no worker runs (an AWS service integration): with a task token, whoever holds
      // the token reports the result; without, nothing ever would.
      return task.getWaitForTaskToken() ? Outcome.SILENT : Resources.unrunnable(task.getResource());
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
    mover.flush();
  }

  /**
   * Leaves the groups: stops fetching, lets running tasks finish for up to 10 s, commits what
   * finished, closes. Unfinished tasks run again on other workers.
   */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    unserved.close();
    tasks.stop();
    functionQueues.forEach(TaskQueue::stop);
    drain();
    tasks.close();
    functionQueues.forEach(TaskQueue::close);
    invocations.shutdownNow();
    timeouts.shutdownNow();
    completions.close();
    catalog.close();
    commands.close();
    mover.close();
    admin.close();
  }

  /**
   * A consumer of one of the worker's groups.
   *
   * @param group the tasks group or a function's group
   * @param suffix tells this worker's consumers apart in their client and static member ids
   */
  private static Properties consumerProperties(WorkerConfig config, String group, String suffix) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    if (config.instanceId() != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupId() + "-" + config.instanceId() + suffix);
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Tasks written before the group first existed must run too.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // STANDARD tasks are written in the coordinator's transactions: only committed ones exist.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Integer.toString(METADATA_MAX_AGE_MS));
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    // A worker that dies (kill -9) loses its partitions, and its functions count as unserved, as fast
    // as the coordinators do.
    Failover.consumer(props);
    String clientId = (String) config.kafka().getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG,
        "stepstream-worker-" + config.workerName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + suffix);
    return props;
  }

  private static Properties producerProperties(WorkerConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stepstream-worker-" + config.workerName() + "-mover");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return props;
  }
}
