package io.stepstream.coordinator.execution;

import io.stepstream.coordinator.timer.TimerStore;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.Adopt;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.Seal;
import io.stepstream.proto.SealDone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partition growth, as one coordinator task sees it (topic generations: {@link
 * io.stepstream.kafka.CommandGenerations}).
 *
 * <p><b>Old generation.</b> {@code stepstream partitions} writes a {@link Seal} into every partition
 * of the current commands topic once the next generation's coordinators run. From the seal on, this
 * task processes nothing itself: each later command is forwarded, in order, to the next
 * generation's topic (keyed by execution ARN, so it lands where the next generation keeps that
 * execution), and a punctuation hands everything the task holds over, a bounded number per tick:
 * executions (as {@link Adopt} with the state), starts parked for their definition, then timers.
 * Once the stores are empty, a {@link SealDone} goes to every partition of the next generation. The
 * Seal sits after every command processed here, so the handed-over state includes them; a command
 * forwarded after the seal follows its execution's Adopt on the same partition (same producer, same
 * key), so the next generation sees them in the order this one would have.
 *
 * <p><b>New generation.</b> A command for an execution this task does not know may be for one the
 * previous generation still holds, or a start whose name is taken there. So it waits (durably, in
 * this task's store) until either the execution's Adopt arrives, which installs it and replays what
 * waited, or the previous generation's partition that would hold it says {@link SealDone}, after
 * which the command runs as usual (a start creates the execution; anything else answers that it
 * does not exist). Once every previous partition is done, nothing waits any more.
 *
 * <p>Under EXPRESS's at-least-once processing an Adopt may arrive twice; one for an execution
 * already known is ignored.
 */
public final class Handover {

  private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

  /** Store name: the seal, the done previous partitions, and the commands that wait. */
  public static final String STORE = "handover";
  /** Header of a forwarded record that names its topic (the next generation's). */
  public static final String TOPIC_HEADER = "stepstream-topic";
  /** Key of the records that address a partition rather than an execution (Seal, SealDone). */
  public static final String CONTROL_KEY = "@generation";

  private static final String SEAL_KEY = "seal";
  private static final String HANDED_OVER_KEY = "handed-over";
  private static final String DONE_PREFIX = "done:";
  private static final String WAIT_PREFIX = "wait:";
  private static final Serializer<String> KEYS = Serdes.String().serializer();
  /** At most this many records are handed over per punctuation, so one tick cannot stall the thread. */
  private static final int PER_TICK = 500;

  private final KeyValueStore<String, Command> store;
  private final ExecutionStore executions;
  private final KeyValueStore<String, Command> parked;
  private final TimerStore timers;
  private final ProcessorContext<String, Object> context;
  private final String sink;
  private final int previousPartitions;
  private final BiConsumer<String, Command> handler;
  private Seal seal;
  private boolean handedOver;
  private int donePrevious;

  /**
   * @param sink the sink node that writes to the topic named by {@link #TOPIC_HEADER}
   * @param previousPartitions the previous generation's partition count; 0 in the first generation
   * @param handler runs a command as usual (a released one)
   */
  Handover(ProcessorContext<String, Object> context, KeyValueStore<String, Command> store, ExecutionStore executions,
      KeyValueStore<String, Command> parked, TimerStore timers, String sink, int previousPartitions,
      BiConsumer<String, Command> handler) {
    this.context = context;
    this.store = store;
    this.executions = executions;
    this.parked = parked;
    this.timers = timers;
    this.sink = sink;
    this.previousPartitions = previousPartitions;
    this.handler = handler;
    Command sealed = store.get(SEAL_KEY);
    this.seal = sealed == null ? null : sealed.getSeal();
    this.handedOver = store.get(HANDED_OVER_KEY) != null;
    try (KeyValueIterator<String, Command> done = store.prefixScan(DONE_PREFIX,
        KEYS)) {
      while (done.hasNext()) {
        done.next();
        donePrevious++;
      }
    }
  }

  /** Whether this task was sealed: it forwards and hands over, and fires no timers. */
  boolean sealed() {
    return seal != null;
  }

  /**
   * Takes a command that growth concerns: a control record, an Adopt, anything after the seal, or
   * a command that must wait for the previous generation.
   *
   * @return whether the command was taken (the caller does nothing more with it)
   */
  boolean take(String key, Command command) {
    switch (command.getKindCase()) {
      case SEAL -> {
        if (seal == null) {
          seal = command.getSeal();
          store.put(SEAL_KEY, command);
          LOG.info("Partition {} sealed: handing over to {} ({} partitions)", context.taskId().partition(),
              seal.getNextTopic(), seal.getNextPartitions());
        }
        return true;
      }
      case SEAL_DONE -> {
        previousDone(command.getSealDone().getPartition());
        return true;
      }
      case ADOPT -> {
        if (seal != null) {
          forward(key, command);
        } else {
          adopt(key, command.getAdopt());
        }
        return true;
      }
      default -> {
        if (seal != null) {
          forward(key, command);
          return true;
        }
        if (mustWait(key)) {
          store.put(waitKey(key), command);
          return true;
        }
        return false;
      }
    }
  }

  /** Hands a bounded part of this sealed task's state to the next generation; the last part says done. */
  void handOverSome(long nowMs) {
    if (seal == null || handedOver) {
      return;
    }
    int budget = PER_TICK;
    for (KeyValue<String, ExecutionState> execution : executions.first(budget)) {
      forward(execution.key, Command.newBuilder().setTimeMs(nowMs).setExecutionArn(execution.key)
          .setAdopt(Adopt.newBuilder().setState(execution.value)).build());
      executions.delete(execution.key);
      budget--;
    }
    budget = handOver(parked, budget, "");
    budget = handOver(store, budget, WAIT_PREFIX);
    for (TimerStore.DueTimer timer : timers.first(Math.max(0, budget))) {
      timers.remove(timer);
      budget--;
      if (!ExecutionProcessor.PARKED_START_TIMER.equals(timer.timerId())) {
        forward(timer.executionArn(), Command.newBuilder().setTimeMs(nowMs).setExecutionArn(timer.executionArn())
            .setAdopt(Adopt.newBuilder().setTimerId(timer.timerId()).setTimerDueMs(timer.dueTimeMs())).build());
      }
    }
    if (budget <= 0) {
      return;
    }
    handedOver = true;
    store.put(HANDED_OVER_KEY, Command.newBuilder().setTimeMs(nowMs).build());
    Command done = Command.newBuilder().setTimeMs(nowMs).setSealDone(SealDone.newBuilder()
        .setPartition(context.taskId().partition()).setPartitions(seal.getPartitions())).build();
    // To every partition of the next generation (the sink's partitioner multicasts control records):
    // each waits for the old partitions its keys came from.
    forward(CONTROL_KEY, done);
    LOG.info("Partition {} handed over to {}", context.taskId().partition(), seal.getNextTopic());
  }

  /** Forwards the commands of a store (those under a prefix), deleting them; returns the budget left. */
  private int handOver(KeyValueStore<String, Command> commands, int budget, String prefix) {
    if (budget <= 0) {
      return budget;
    }
    List<KeyValue<String, Command>> some = new ArrayList<>();
    try (KeyValueIterator<String, Command> it = prefix.isEmpty() ? commands.all()
        : commands.prefixScan(prefix, KEYS)) {
      while (it.hasNext() && some.size() < budget) {
        some.add(it.next());
      }
    }
    for (KeyValue<String, Command> entry : some) {
      commands.delete(entry.key);
      forward(entry.value.getExecutionArn(), entry.value);
    }
    return budget - some.size();
  }

  private boolean mustWait(String executionArn) {
    if (previousPartitions == 0 || donePrevious >= previousPartitions) {
      return false;
    }
    if (executions.get(executionArn).getStatus() != ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED
        || parked.get(executionArn) != null) {
      return false;
    }
    return store.get(DONE_PREFIX + ExecutionArn.partition(executionArn, previousPartitions)) == null;
  }

  private void adopt(String executionArn, Adopt adopt) {
    if (adopt.hasState()) {
      if (executions.get(executionArn).getStatus() == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
        executions.put(executionArn, adopt.getState());
      }
      release(waitKey(executionArn, ""), waitKey(executionArn, "\uffff"));
    } else {
      timers.add(adopt.getTimerDueMs(), executionArn, adopt.getTimerId());
    }
  }

  private void previousDone(int partition) {
    if (store.get(DONE_PREFIX + partition) != null) {
      return;
    }
    store.put(DONE_PREFIX + partition, Command.newBuilder().setTimeMs(context.currentSystemTimeMs()).build());
    donePrevious++;
    // What waited for an execution of that old partition runs now, in arrival order per execution.
    List<KeyValue<String, Command>> released = new ArrayList<>();
    try (KeyValueIterator<String, Command> it = store.prefixScan(WAIT_PREFIX,
        KEYS)) {
      while (it.hasNext()) {
        KeyValue<String, Command> entry = it.next();
        if (ExecutionArn.partition(entry.value.getExecutionArn(), previousPartitions) == partition) {
          released.add(entry);
        }
      }
    }
    run(released);
    if (donePrevious >= previousPartitions) {
      LOG.info("Every partition of the previous generation handed over; partition {} takes commands as usual",
          context.taskId().partition());
    }
  }

  private void release(String from, String to) {
    List<KeyValue<String, Command>> released = new ArrayList<>();
    try (KeyValueIterator<String, Command> it = store.range(from, to)) {
      it.forEachRemaining(released::add);
    }
    run(released);
  }

  private void run(List<KeyValue<String, Command>> released) {
    for (KeyValue<String, Command> entry : released) {
      store.delete(entry.key);
    }
    for (KeyValue<String, Command> entry : released) {
      handler.accept(entry.value.getExecutionArn(), entry.value);
    }
  }

  /** Waiting commands sort by execution, then by their offset on this task's partition (arrival). */
  private String waitKey(String executionArn) {
    return waitKey(executionArn, String.format("%019d", context.recordMetadata().map(m -> m.offset()).orElse(0L)));
  }

  private static String waitKey(String executionArn, String suffix) {
    return WAIT_PREFIX + executionArn + "\u0000" + suffix;
  }

  private void forward(String key, Command command) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TOPIC_HEADER, seal.getNextTopic().getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<>(key, (Object) command, command.getTimeMs(), headers), sink);
  }
}
