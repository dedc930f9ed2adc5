package io.stepstream.maprun.service;

import io.stepstream.coordinator.registry.RegistryCopier;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.asl.maprun.Tolerance;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.ChildInput;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ItemsRead;
import io.stepstream.proto.MapRunChild;
import io.stepstream.proto.MapRunChildEnded;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunCounts;
import io.stepstream.proto.MapRunEnded;
import io.stepstream.proto.MapRunIoFailed;
import io.stepstream.proto.MapRunSnapshot;
import io.stepstream.proto.MapRunState;
import io.stepstream.proto.MapRunStatus;
import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.proto.RedriveExecution;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StartMapRun;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StopExecution;
import io.stepstream.proto.UpdateMapRun;
import io.stepstream.proto.WorkflowType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns each map run from StartMapRun to its end: a semaphore of MaxConcurrency running children, the
 * item and child counts, the tolerated-failure rule, the children's starts and stops, and the report
 * to the parent. Every decision is a function of the run's stored state and the command, and its
 * outputs (child commands, the parent's MapRunEnded, snapshots) are written in the same transaction
 * as the state: a crash repeats nothing and loses nothing. Reading items and writing results is I/O
 * and happens in {@link MapRunIo}, whose answers come back as commands; an answer that does not fit
 * the run's state (a repeated or stale page) is ignored.
 */
public final class MapRunProcessor implements Processor<String, MapRunCommand, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(MapRunProcessor.class);

  /** Store of map runs by ARN. */
  public static final String RUNS_STORE = "map-runs";
  /** Store of children by {@link #childKey}. */
  public static final String CHILDREN_STORE = "map-run-children";
  /** Children asked of one read, at most (it comes as a chain of pages; the rest follow in the next read). */
  static final int CHILDREN_PER_READ = 1_000;
  /** A read or write without an answer after this long is asked again (the instance that did it died). */
  static final long IO_RETRY_MS = 10_000;
  /** AWS's payload limit for the Map state's output when there is no ResultWriter. */
  static final int MAX_OUTPUT_BYTES = 256 * 1024;
  private final ExecutionMetrics metrics;

  private final Definitions definitions;
  private final MapRunIo io;
  private final Outputs outputs;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, MapRunState> runs;
  private KeyValueStore<String, MapRunChild> children;
  private KeyValueStore<String, StateMachineRecord> registry;
  /** ARNs of this task's runs with a read or write asked for (see {@link #track}). */
  private final java.util.Set<String> awaitingIo = new java.util.HashSet<>();

  public MapRunProcessor(Definitions definitions, MapRunIo io, Outputs outputs) {
    this(definitions, io, outputs, ExecutionMetrics.NONE);
  }

  /** @param metrics counts the map runs' items as they move */
  public MapRunProcessor(Definitions definitions, MapRunIo io, Outputs outputs, ExecutionMetrics metrics) {
    this.metrics = metrics;
    this.definitions = definitions;
    this.io = io;
    this.outputs = outputs;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.runs = context.getStateStore(RUNS_STORE);
    this.children = context.getStateStore(CHILDREN_STORE);
    this.registry = context.getStateStore(RegistryCopier.STORE);
    // The runs waiting for a read or a write, found once here (after a restart or a move); from then
    // on store() keeps the set, so the punctuator never scans every run the task ever had.
    try (KeyValueIterator<String, MapRunState> it = runs.all()) {
      it.forEachRemaining(entry -> track(entry.value));
    }
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::lookAfterIo);
  }

  /** The key of child {@code index} of a map run: ordered by index within the run. */
  public static String childKey(String mapRunArn, long index) {
    return mapRunArn + "|" + String.format("%012d", index);
  }

  @Override
  public void process(Record<String, MapRunCommand> record) {
    MapRunCommand command = record.value();
    if (command == null || command.getMapRunArn().isEmpty()) {
      return;
    }
    String arn = command.getMapRunArn();
    MapRunState state = runs.get(arn);
    long now = command.getTimeMs() > 0 ? command.getTimeMs() : context.currentSystemTimeMs();
    if (command.hasStart()) {
      if (state == null) {
        start(command.getStart(), now);
      }
      return;
    }
    if (state == null) {
      if (command.hasReplyTo()) {
        refuse(command, arn, "ResourceNotFound", "Map Run Does Not Exist: '" + arn + "'");
      }
      return;
    }
    switch (command.getKindCase()) {
      case ITEMS_READ -> itemsRead(state, command.getItemsRead(), now);
      case CHILD_ENDED -> childEnded(state, command.getChildEnded(), now);
      case UPDATE -> update(state, command, now);
      case STOP -> stop(state, command.getStop().getError(), command.getStop().getCause(), now);
      case RESULTS_WRITTEN -> resultsWritten(state, command, now);
      case IO_FAILED -> ioFailed(state, command.getIoFailed(), now);
      case REDRIVE -> redrive(state, command.getRedrive().getRedriveCount(), now);
      default -> LOG.warn("Ignoring map-run command {} for {}", command.getKindCase(), arn);
    }
  }

  private void start(StartMapRun spec, long now) {
    MapRunState.Builder state = MapRunState.newBuilder().setSpec(spec).setStatus(MapRunStatus.MAP_RUN_RUNNING)
        .setStartTimeMs(now)
        .setMaxConcurrency(spec.getMaxConcurrency() == 0 ? 10_000 : spec.getMaxConcurrency())
        .setToleratedCountSet(spec.getToleratedCountSet()).setToleratedFailureCount(spec.getToleratedFailureCount())
        .setToleratedPercentageSet(spec.getToleratedPercentageSet())
        .setToleratedFailurePercentage(spec.getToleratedFailurePercentage())
        .setItems(MapRunCounts.getDefaultInstance()).setExecutions(MapRunCounts.getDefaultInstance());
    if (map(state) == null) {
      end(state, MapRunStatus.MAP_RUN_FAILED, null, StatesErrors.RUNTIME,
          "The definition of the Map state '" + spec.getStateName() + "' is not available", now);
      return;
    }
    advance(state, now);
  }

  private void itemsRead(MapRunState current, ItemsRead page, long now) {
    if (current.getStatus() != MapRunStatus.MAP_RUN_RUNNING || !current.getCursor().equals(page.getFromCursor())) {
      return; // a page asked for twice, or after the run moved on
    }
    MapRunState.Builder state = current.toBuilder();
    StartMapRun spec = state.getSpec();
    for (ChildInput input : page.getChildrenList()) {
      long index = state.getNextChildIndex();
      boolean express = spec.getChildType() == WorkflowType.EXPRESS;
      children.put(childKey(spec.getMapRunArn(), index), MapRunChild.newBuilder()
          .setExecutionArn(MapRunNames.childArn(spec.getMapRunArn(), index, express))
          .setName(MapRunNames.childName(spec.getMapRunArn(), index))
          .setInput(input.getInput()).setFirstItem(input.getFirstItem()).setItemCount(input.getItemCount()).build());
      state.setNextChildIndex(index + 1).setCursor(input.getCursorAfter())
          .setItems(add(state.getItems(), input.getItemCount(), Field.PENDING, true))
          .setExecutions(add(state.getExecutions(), 1, Field.PENDING, true));
      metrics.mapRunItems(spec.getStateMachineArn(), "read", input.getItemCount());
    }
    if (page.getExhausted()) {
      state.setExhausted(true);
    }
    if (!page.getMoreFollow()) {
      state.setReadRequestedMs(0);
    }
    advance(state, now);
  }

  /**
   * The parent was redriven: the run goes on, and its children that did not succeed run again
   * (before any pending child), within the semaphore. STANDARD children are redriven
   * (RedriveExecution: they go on from the state they failed in); EXPRESS children, which cannot be
   * redriven, start again as new executions.
   */
  private void redrive(MapRunState current, int redriveCount, long now) {
    if (current.getStatus() == MapRunStatus.MAP_RUN_RUNNING || current.getStatus() == MapRunStatus.MAP_RUN_SUCCEEDED
        || current.getRedriveCount() >= redriveCount) {
      return; // nothing to redrive, or this redrive was done
    }
    MapRunState.Builder state = current.toBuilder().setStatus(MapRunStatus.MAP_RUN_RUNNING)
        .setOutcome(MapRunStatus.MAP_RUN_STATUS_UNSPECIFIED).setError("").setCause("").setStopTimeMs(0)
        .setRedriveCount(redriveCount).setRedriveTimeMs(now).setReadRequestedMs(0).setWriteRequestedMs(0)
        .clearRedriveQueue();
    String arn = state.getSpec().getMapRunArn();
    try (KeyValueIterator<String, MapRunChild> it = children.range(arn + "|", arn + "|~")) {
      while (it.hasNext()) {
        KeyValue<String, MapRunChild> entry = it.next();
        MapRunChild child = entry.value;
        Field from = switch (child.getStatus()) {
          case FAILED -> Field.FAILED;
          case TIMED_OUT -> Field.TIMED_OUT;
          case ABORTED -> Field.ABORTED;
          default -> null;
        };
        if (from != null) {
          state.addRedriveQueue(index(entry.key));
          state.setItems(move(state.getItems(), child.getItemCount(), from, Field.PENDING))
              .setExecutions(move(state.getExecutions(), 1, from, Field.PENDING));
        }
      }
    }
    advance(state, now);
  }

  private static long index(String childKey) {
    return Long.parseLong(childKey.substring(childKey.lastIndexOf('|') + 1));
  }

  /** Starts pending children (those to redrive first) while the semaphore has slots. */
  private void startPending(MapRunState.Builder state, long now) {
    StartMapRun spec = state.getSpec();
    boolean express = spec.getChildType() == WorkflowType.EXPRESS;
    int taken = 0;
    for (; free(state) > 0 && taken < state.getRedriveQueueCount(); taken++) {
      long index = state.getRedriveQueue(taken);
      String key = childKey(spec.getMapRunArn(), index);
      MapRunChild child = children.get(key);
      if (child == null) {
        continue;
      }
      Command command;
      if (express) {
        // A new EXPRESS execution for the same items: its id says which redrive it belongs to.
        String arn = MapRunNames.childArn(spec.getMapRunArn(), index, true) + "-r" + state.getRedriveCount();
        child = child.toBuilder().setExecutionArn(arn).build();
        command = Command.newBuilder().setTimeMs(now).setExecutionArn(arn).setCommandId(MapRunNames.uuid("start:" + arn))
            .setStartExecution(StartExecution.newBuilder().setName(child.getName())
                .setStateMachineArn(spec.getProcessorArn()).setStateMachineRevision(spec.getStateMachineRevision())
                .setType(spec.getChildType()).setInput(child.getInput()).setRoleArn(spec.getRoleArn())
                .setSeed(spec.getSeed() ^ (index * 0x9E3779B97F4A7C15L) ^ state.getRedriveCount())
                .setMapRunArn(spec.getMapRunArn()).setMapRunChildIndex(index))
            .build();
      } else {
        command = Command.newBuilder().setTimeMs(now).setExecutionArn(child.getExecutionArn())
            .setCommandId(MapRunNames.uuid("redrive:" + child.getExecutionArn() + "#" + state.getRedriveCount()))
            .setRedriveExecution(RedriveExecution.newBuilder()
                .setClientToken(MapRunNames.uuid(spec.getMapRunArn() + "#" + state.getRedriveCount())))
            .build();
      }
      children.put(key, child.toBuilder().setStatus(ExecutionStatus.RUNNING).clearOutput().clearError().clearCause()
          .setStopTimeMs(0).build());
      context.forward(new Record<>(child.getExecutionArn(), (Object) command, now),
          express ? outputs.expressNode() : outputs.standardNode());
      state.setItems(move(state.getItems(), child.getItemCount(), Field.PENDING, Field.RUNNING))
          .setExecutions(move(state.getExecutions(), 1, Field.PENDING, Field.RUNNING));
    }
    if (taken > 0) {
      List<Long> rest = List.copyOf(state.getRedriveQueueList().subList(taken, state.getRedriveQueueCount()));
      state.clearRedriveQueue().addAllRedriveQueue(rest);
    }
    while (free(state) > 0 && state.getNextToStart() < state.getNextChildIndex()) {
      long index = state.getNextToStart();
      String key = childKey(spec.getMapRunArn(), index);
      MapRunChild child = children.get(key);
      state.setNextToStart(index + 1);
      if (child == null) {
        continue;
      }
      children.put(key, child.toBuilder().setStatus(ExecutionStatus.RUNNING).setStartTimeMs(now).build());
      Command start = Command.newBuilder().setTimeMs(now).setExecutionArn(child.getExecutionArn())
          .setCommandId(MapRunNames.uuid("start:" + child.getExecutionArn()))
          .setStartExecution(StartExecution.newBuilder().setName(child.getName())
              .setStateMachineArn(spec.getProcessorArn()).setStateMachineRevision(spec.getStateMachineRevision())
              .setType(spec.getChildType()).setInput(child.getInput()).setRoleArn(spec.getRoleArn())
              .setSeed(spec.getSeed() ^ (index * 0x9E3779B97F4A7C15L))
              .setMapRunArn(spec.getMapRunArn()).setMapRunChildIndex(index))
          .build();
      context.forward(new Record<>(child.getExecutionArn(), (Object) start, now),
          express ? outputs.expressNode() : outputs.standardNode());
      state.setItems(move(state.getItems(), child.getItemCount(), Field.PENDING, Field.RUNNING))
          .setExecutions(move(state.getExecutions(), 1, Field.PENDING, Field.RUNNING));
    }
  }

  private void childEnded(MapRunState current, MapRunChildEnded ended, long now) {
    String key = childKey(current.getSpec().getMapRunArn(), ended.getChildIndex());
    MapRunChild child = children.get(key);
    if (child == null || !child.getExecutionArn().equals(ended.getExecutionArn())) {
      return; // not this run's child, or an EXPRESS child's earlier run (before a redrive started it anew)
    }
    // A child the run stopped (its failure aborted the others) may have ended otherwise before the
    // stop reached it: its own report is the truth, and a redrive must not wait for a child that
    // had in fact succeeded.
    boolean lateEnd = child.getStatus() == ExecutionStatus.ABORTED && ended.getStatus() != ExecutionStatus.ABORTED;
    if (child.getStatus() != ExecutionStatus.RUNNING && !lateEnd) {
      return; // a repeated report (EXPRESS children are at least once)
    }
    children.put(key, child.toBuilder().setStatus(ended.getStatus()).setOutput(ended.getOutput())
        .setError(ended.getError()).setCause(ended.getCause())
        .setStopTimeMs(ended.getStopTimeMs() > 0 ? ended.getStopTimeMs() : now).build());
    MapRunState.Builder state = current.toBuilder();
    Field field = switch (ended.getStatus()) {
      case SUCCEEDED -> Field.SUCCEEDED;
      case TIMED_OUT -> Field.TIMED_OUT;
      case ABORTED -> Field.ABORTED;
      default -> Field.FAILED;
    };
    Field from = lateEnd ? Field.ABORTED : Field.RUNNING;
    state.setItems(move(state.getItems(), child.getItemCount(), from, field))
        .setExecutions(move(state.getExecutions(), 1, from, field));
    if (!lateEnd) {
      metrics.mapRunItems(state.getSpec().getStateMachineArn(), field.name().toLowerCase(java.util.Locale.ROOT),
          child.getItemCount());
    }
    if (lateEnd) {
      if (state.getStatus() == MapRunStatus.MAP_RUN_RUNNING) {
        advance(state, now);
      } else {
        store(state, now, null);
      }
      return;
    }
    advance(state, now);
  }

  private void update(MapRunState current, MapRunCommand command, long now) {
    UpdateMapRun update = command.getUpdate();
    MapRunState.Builder state = current.toBuilder();
    if (update.getMaxConcurrencySet()) {
      state.setMaxConcurrency(update.getMaxConcurrency() == 0 ? 10_000 : update.getMaxConcurrency());
    }
    if (update.getToleratedCountSet()) {
      state.setToleratedCountSet(true).setToleratedFailureCount(update.getToleratedFailureCount());
    }
    if (update.getToleratedPercentageSet()) {
      state.setToleratedPercentageSet(true).setToleratedFailurePercentage(update.getToleratedFailurePercentage());
    }
    CommandReply reply = command.hasReplyTo() ? replyOf(command, "", "", now) : null;
    if (current.getStatus() != MapRunStatus.MAP_RUN_RUNNING) {
      store(state, now, reply);
      return;
    }
    pendingReply = reply;
    advance(state, now);
  }

  private void stop(MapRunState current, String error, String cause, long now) {
    if (current.getStatus() != MapRunStatus.MAP_RUN_RUNNING) {
      return;
    }
    MapRunState.Builder state = current.toBuilder();
    abortRunning(state, error.isEmpty() ? "States.Aborted" : error, cause, now);
    state.setStatus(MapRunStatus.MAP_RUN_ABORTED).setStopTimeMs(now).setReadRequestedMs(0).setWriteRequestedMs(0);
    store(state, now, null);
  }

  private void resultsWritten(MapRunState current, MapRunCommand command, long now) {
    if (current.getStatus() != MapRunStatus.MAP_RUN_RUNNING || current.getWriteRequestedMs() == 0) {
      return;
    }
    MapRunState.Builder state = current.toBuilder().setWriteRequestedMs(0);
    state.setItems(state.getItems().toBuilder().setResultsWritten(command.getResultsWritten().getResultsWritten()))
        .setExecutions(state.getExecutions().toBuilder()
            .setResultsWritten(state.getExecutions().getTotal()));
    // AWS's Map output with a ResultWriter: the map run and where its manifest is.
    String output = Json.write(Json.object().put("MapRunArn", current.getSpec().getMapRunArn())
        .set("ResultWriterDetails", Json.parse(command.getResultsWritten().getDetails())));
    if (state.getOutcome() == MapRunStatus.MAP_RUN_SUCCEEDED) {
      end(state, MapRunStatus.MAP_RUN_SUCCEEDED, output, null, null, now);
    } else {
      end(state, MapRunStatus.MAP_RUN_FAILED, null, state.getError(), state.getCause(), now);
    }
  }

  private void ioFailed(MapRunState current, MapRunIoFailed failure, long now) {
    if (current.getStatus() != MapRunStatus.MAP_RUN_RUNNING) {
      return;
    }
    boolean reader = StatesErrors.ITEM_READER_FAILED.equals(failure.getError()) || !failure.getFromCursor().isEmpty()
        || current.getWriteRequestedMs() == 0;
    if (reader && !current.getCursor().equals(failure.getFromCursor())) {
      return; // a stale failure of a read the run is past
    }
    MapRunState.Builder state = current.toBuilder().setReadRequestedMs(0).setWriteRequestedMs(0);
    abortRunning(state, "States.Aborted", "", now);
    end(state, MapRunStatus.MAP_RUN_FAILED, null, failure.getError(), failure.getCause(), now);
  }

  /**
   * Moves a running map run on after any change: fail it when its failures exceed the threshold,
   * start reading when slots are free, finish it when every item is done.
   */
  private void advance(MapRunState.Builder state, long now) {
    if (state.getStatus() != MapRunStatus.MAP_RUN_RUNNING) {
      store(state, now, takeReply());
      return;
    }
    if (state.getOutcome() == MapRunStatus.MAP_RUN_STATUS_UNSPECIFIED && exceeded(state, state.getExhausted())) {
      abortRunning(state, "States.Aborted", "", now);
      decide(state, MapRunStatus.MAP_RUN_FAILED, StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, Tolerance.CAUSE, now);
      return;
    }
    if (state.getOutcome() != MapRunStatus.MAP_RUN_STATUS_UNSPECIFIED) {
      store(state, now, takeReply());
      return;
    }
    startPending(state, now);
    long buffered = state.getNextChildIndex() - state.getNextToStart();
    if (state.getExhausted() && buffered == 0 && state.getRedriveQueueCount() == 0
        && state.getExecutions().getRunning() == 0) {
      decide(state, MapRunStatus.MAP_RUN_SUCCEEDED, null, null, now);
      return;
    }
    // Read ahead: keep up to a semaphore's worth of children pending (at most CHILDREN_PER_READ), and
    // ask again when half of it is used, so a freed slot never waits for the object store.
    long target = Math.min(state.getMaxConcurrency(), CHILDREN_PER_READ);
    if (!state.getExhausted() && state.getReadRequestedMs() == 0 && buffered <= target / 2) {
      state.setReadRequestedMs(Math.max(1, now));
      store(state, now, takeReply());
      askRead(state);
      return;
    }
    store(state, now, takeReply());
  }

  /** The run's outcome is known: write the results first when it has a ResultWriter, else end now. */
  private void decide(MapRunState.Builder state, MapRunStatus outcome, String error, String cause, long now) {
    state.setOutcome(outcome).setError(error == null ? "" : error).setCause(cause == null ? "" : cause);
    if (!state.getSpec().getResultWriter().isEmpty()) {
      state.setWriteRequestedMs(Math.max(1, now));
      store(state, now, takeReply());
      io.write(state.build(), context.taskId().partition());
      return;
    }
    if (outcome == MapRunStatus.MAP_RUN_SUCCEEDED) {
      String output = collectOutputs(state.getSpec().getMapRunArn());
      if (output == null) {
        end(state, MapRunStatus.MAP_RUN_FAILED, null, StatesErrors.DATA_LIMIT_EXCEEDED,
            "The state/task '" + state.getSpec().getStateName()
                + "' returned a result with a size exceeding the maximum number of bytes service limit.", now);
        return;
      }
      end(state, outcome, output, null, null, now);
    } else {
      end(state, outcome, null, error, cause, now);
    }
  }

  /** The children's outputs in item order, or null when they exceed the payload limit. */
  private String collectOutputs(String mapRunArn) {
    ArrayNode outputs = Json.array();
    int bytes = 2;
    try (KeyValueIterator<String, MapRunChild> it = children.range(mapRunArn + "|", mapRunArn + "|~")) {
      while (it.hasNext()) {
        MapRunChild child = it.next().value;
        String text = child.getStatus() == ExecutionStatus.SUCCEEDED && !child.getOutput().isEmpty()
            ? child.getOutput() : "null";
        bytes += text.getBytes(StandardCharsets.UTF_8).length + 1;
        if (bytes > MAX_OUTPUT_BYTES) {
          return null;
        }
        outputs.add(Json.parse(text));
      }
    }
    return Json.write(outputs);
  }

  private void end(MapRunState.Builder state, MapRunStatus status, String output, String error, String cause,
      long now) {
    state.setStatus(status).setStopTimeMs(now).setOutcome(status).setReadRequestedMs(0).setWriteRequestedMs(0);
    if (output != null) {
      state.setOutput(output);
    }
    state.setError(error == null ? "" : error).setCause(cause == null ? "" : cause);
    StartMapRun spec = state.getSpec();
    MapRunEnded.Builder ended = MapRunEnded.newBuilder().setMapRunArn(spec.getMapRunArn())
        .setStatus(status == MapRunStatus.MAP_RUN_SUCCEEDED ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED);
    if (output != null) {
      ended.setOutput(output);
    }
    if (error != null) {
      ended.setError(error);
    }
    if (cause != null) {
      ended.setCause(cause);
    }
    Command report = Command.newBuilder().setTimeMs(now).setExecutionArn(spec.getParentExecutionArn())
        .setCommandId(MapRunNames.uuid("ended:" + spec.getMapRunArn() + "#" + state.getRedriveCount()))
        .setMapRunEnded(ended).build();
    context.forward(new Record<>(spec.getParentExecutionArn(), (Object) report, now),
        spec.getParentType() == WorkflowType.EXPRESS ? outputs.expressNode() : outputs.standardNode());
    store(state, now, takeReply());
  }

  /** Stops every running child and counts it as aborted (their own reports are ignored afterwards). */
  private void abortRunning(MapRunState.Builder state, String error, String cause, long now) {
    StartMapRun spec = state.getSpec();
    boolean express = spec.getChildType() == WorkflowType.EXPRESS;
    List<KeyValue<String, MapRunChild>> running = new ArrayList<>();
    try (KeyValueIterator<String, MapRunChild> it = children.range(spec.getMapRunArn() + "|", spec.getMapRunArn() + "|~")) {
      while (it.hasNext()) {
        KeyValue<String, MapRunChild> entry = it.next();
        if (entry.value.getStatus() == ExecutionStatus.RUNNING) {
          running.add(entry);
        }
      }
    }
    for (KeyValue<String, MapRunChild> entry : running) {
      MapRunChild child = entry.value;
      children.put(entry.key, child.toBuilder().setStatus(ExecutionStatus.ABORTED).setStopTimeMs(now).build());
      state.setItems(move(state.getItems(), child.getItemCount(), Field.RUNNING, Field.ABORTED))
          .setExecutions(move(state.getExecutions(), 1, Field.RUNNING, Field.ABORTED));
      metrics.mapRunItems(state.getSpec().getStateMachineArn(), "aborted", child.getItemCount());
      Command stop = Command.newBuilder().setTimeMs(now).setExecutionArn(child.getExecutionArn())
          .setCommandId(MapRunNames.uuid("stop:" + child.getExecutionArn()))
          .setStopExecution(StopExecution.newBuilder().setError(error).setCause(cause == null ? "" : cause)).build();
      context.forward(new Record<>(child.getExecutionArn(), (Object) stop, now),
          express ? outputs.expressNode() : outputs.standardNode());
    }
  }

  private boolean exceeded(MapRunState.Builder state, boolean complete) {
    MapRunCounts items = state.getItems();
    long failed = items.getFailed() + items.getTimedOut() + items.getAborted();
    return Tolerance.exceeded(failed, items.getTotal(), complete, state.getToleratedCountSet(),
        state.getToleratedFailureCount(), state.getToleratedPercentageSet(), state.getToleratedFailurePercentage());
  }

  private static int free(MapRunState.Builder state) {
    return (int) Math.max(0, state.getMaxConcurrency() - state.getExecutions().getRunning());
  }

  /** Re-asks reads and writes whose answer did not come (the instance that worked on them died). */
  private void lookAfterIo(long now) {
    for (String arn : List.copyOf(awaitingIo)) {
      MapRunState state = runs.get(arn);
      if (state == null) {
        awaitingIo.remove(arn);
        continue;
      }
      MapRunState.Builder again = state.toBuilder();
      if (state.getReadRequestedMs() > 0 && now - state.getReadRequestedMs() > IO_RETRY_MS) {
        runs.put(arn, again.setReadRequestedMs(now).build());
        askRead(again);
      } else if (state.getWriteRequestedMs() > 0 && now - state.getWriteRequestedMs() > IO_RETRY_MS) {
        runs.put(arn, again.setWriteRequestedMs(now).build());
        io.write(again.build(), context.taskId().partition());
      }
    }
  }

  /**
   * Asks for the next children: enough to fill the read-ahead buffer (a semaphore's worth, at most
   * {@link #CHILDREN_PER_READ}) from what is pending now.
   */
  private void askRead(MapRunState.Builder state) {
    State.Map map = map(state);
    if (map != null) {
      long buffered = state.getNextChildIndex() - state.getNextToStart();
      io.read(state.build(), map, (int) Math.max(1, Math.min(state.getMaxConcurrency(), CHILDREN_PER_READ) - buffered));
    }
  }

  /** Keeps {@link #awaitingIo} in step with a run's stored state. */
  private void track(MapRunState state) {
    String arn = state.getSpec().getMapRunArn();
    if (state.getStatus() == MapRunStatus.MAP_RUN_RUNNING
        && (state.getReadRequestedMs() > 0 || state.getWriteRequestedMs() > 0)) {
      awaitingIo.add(arn);
    } else {
      awaitingIo.remove(arn);
    }
  }

  private State.Map map(MapRunState.Builder state) {
    return map(state.getSpec());
  }

  private State.Map map(StartMapRun spec) {
    StateMachineDefinition root = definitions.get(spec.getStateMachineArn(), spec.getStateMachineRevision(),
        registry::get);
    return root == null ? null : DistributedMaps.resolve(root, spec.getLabel());
  }

  private CommandReply pendingReply;

  private CommandReply takeReply() {
    CommandReply reply = pendingReply;
    pendingReply = null;
    return reply;
  }

  private void store(MapRunState.Builder state, long now, CommandReply reply) {
    state.setVersion(state.getVersion() + 1);
    MapRunState built = state.build();
    String arn = built.getSpec().getMapRunArn();
    runs.put(arn, built);
    track(built);
    MapRunSnapshot.Builder snapshot = snapshot(built);
    if (reply != null) {
      snapshot.setReply(reply);
    }
    // Keyed by the parent's ARN: the projection keeps a run in its parent's partition.
    context.forward(new Record<>(built.getSpec().getParentExecutionArn(), (Object) snapshot.build(), now),
        outputs.statusNode());
  }

  /** What DescribeMapRun shows of a run. */
  static MapRunSnapshot.Builder snapshot(MapRunState state) {
    return MapRunSnapshot.newBuilder().setMapRunArn(state.getSpec().getMapRunArn())
        .setExecutionArn(state.getSpec().getParentExecutionArn())
        .setStateMachineArn(state.getSpec().getProcessorArn())
        .setStatus(state.getStatus()).setStartTimeMs(state.getStartTimeMs()).setStopTimeMs(state.getStopTimeMs())
        .setMaxConcurrency(state.getMaxConcurrency() == 10_000 && state.getSpec().getMaxConcurrency() == 0
            ? 0 : state.getMaxConcurrency())
        .setToleratedFailureCount(state.getToleratedFailureCount())
        .setToleratedFailurePercentage(state.getToleratedFailurePercentage())
        .setItems(state.getItems()).setExecutions(state.getExecutions()).setRedriveCount(state.getRedriveCount())
        .setRedriveTimeMs(state.getRedriveTimeMs())
        .setVersion(state.getVersion());
  }

  private void refuse(MapRunCommand command, String arn, String error, String message) {
    CommandReply reply = replyOf(command, error, message, command.getTimeMs());
    // No run to snapshot: the refusal goes out as a snapshot that carries only the reply.
    context.forward(new Record<>(arn, (Object) MapRunSnapshot.newBuilder().setMapRunArn(arn).setReply(reply).build(),
        command.getTimeMs()), outputs.statusNode());
  }

  private static CommandReply replyOf(MapRunCommand command, String error, String message, long now) {
    return CommandReply.newBuilder().setRequestId(command.getReplyTo().getRequestId())
        .setPartition(command.getReplyTo().getPartition()).setError(error).setMessage(message)
        .setDateMs(now).setCommandTimeMs(command.getTimeMs()).build();
  }

  private enum Field { PENDING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }

  /** Adds n to a field (and to total when {@code newItems}). */
  private static MapRunCounts add(MapRunCounts counts, long n, Field field, boolean newItems) {
    MapRunCounts.Builder b = counts.toBuilder();
    switch (field) {
      case PENDING -> b.setPending(b.getPending() + n);
      case RUNNING -> b.setRunning(b.getRunning() + n);
      case SUCCEEDED -> b.setSucceeded(b.getSucceeded() + n);
      case FAILED -> b.setFailed(b.getFailed() + n);
      case TIMED_OUT -> b.setTimedOut(b.getTimedOut() + n);
      case ABORTED -> b.setAborted(b.getAborted() + n);
    }
    if (newItems) {
      b.setTotal(b.getTotal() + n);
    }
    return b.build();
  }

  /** Moves n from one field to another (total unchanged). */
  private static MapRunCounts move(MapRunCounts counts, long n, Field from, Field to) {
    return add(add(counts, -n, from, false), n, to, false);
  }

  /** The sink nodes the processor forwards to. */
  public record Outputs(String standardNode, String expressNode, String statusNode) {}
}
