package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.definition.DataFlow;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.StartTimer;
import io.stepstream.proto.TimerRef;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The working set of one {@code process} call: the evolving state, the events and effects so far,
 * and per-call caches. Emitting an event applies it at once, so every decision sees the state the
 * previous events produced.
 *
 * <p>JSON text is parsed once per call: text this call wrote (or already parsed) maps back to its
 * node, so a state's output that becomes the next state's input is never parsed again.
 */
final class Session {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  final StateMachineDefinition definition;
  final Limits limits;
  final long now;
  /** The execution as the events so far left it; changed only by {@link #emit}. */
  final ExecutionState.Builder state;
  final List<HistoryEvent> events = new ArrayList<>();
  final List<Effect> effects = new ArrayList<>();
  /** Flows (not the top level) that failed in this call, for their parent to react to. */
  final Map<String, Failure> failedFlows = new HashMap<>();

  private final Map<String, JsonNode> parsed = new HashMap<>();
  private final IdentityHashMap<JsonNode, String> written = new IdentityHashMap<>();
  private final Map<String, StateMachineDefinition> machines = new HashMap<>();
  private final Map<String, Boolean> childExecutions = new HashMap<>();
  /** The builder {@link #emit(String, HistoryEventType, Consumer)} fills, and whether it is filling it. */
  private final HistoryEvent.Builder reusedEvent = HistoryEvent.newBuilder();
  private boolean filling;
  private ObjectNode executionContext;
  private long randomDraws;

  Session(StateMachineDefinition definition, Limits limits, long now, ExecutionState state) {
    this.definition = definition;
    this.limits = limits;
    this.now = now;
    this.state = state.toBuilder();
  }

  /** A failed flow: the error that ended it. */
  record Failure(String error, String cause) {}

  /**
   * Appends an event to the flow {@code frameId}, applies it, and starts the timers it carries.
   *
   * <p>Visible events get the next id of the API's history and a previousEventId chained as AWS chains
   * them (see {@link PreviousEvents}); internal events get id 0. Every event gets the next sequence.
   */
  HistoryEvent emit(String frameId, HistoryEvent.Builder event) {
    event.setSequence(state.getLastSequence() + 1).setTimestampMs(now).setFrame(frameId);
    if (!frameId.isEmpty() && isChildExecution(frameId)) {
      event.setChildExecution(true);
    }
    if (HistoryView.isVisible(event)) {
      long id = state.getLastEventId() + 1;
      event.setId(id).setPreviousEventId(PreviousEvents.previousEventId(state, event.getType(), id));
    }
    // proto3 has no required fields: build() would only add a check that cannot fail.
    HistoryEvent built = event.buildPartial();
    if (built.getType() == HistoryEventType.MapStateEntered || built.getType() == HistoryEventType.ParallelStateEntered) {
      // The iterations or branches of this state get the ids those of the flow's previous Map or
      // Parallel state had: what was known by id is about that state.
      machines.clear();
      childExecutions.clear();
    }
    ExecutionStateApplier.applyTo(state, built);
    events.add(built);
    for (TimerRef timer : built.getTimersList()) {
      effects.add(Effect.newBuilder().setStartTimer(StartTimer.newBuilder().setTimer(timer)).build());
    }
    return built;
  }

  /**
   * Appends an event filled by {@code fill} (which only sets its fields) like {@link #emit(String,
   * HistoryEvent.Builder)}, in one builder this call reuses for every such event: a HistoryEvent
   * builder holds a field for every kind of details, so a new one per event was a quarter of the bytes
   * a Map of 100 iterations allocated.
   */
  HistoryEvent emit(String frameId, HistoryEventType type, Consumer<HistoryEvent.Builder> fill) {
    if (filling) {
      throw new IllegalStateException("an event was emitted while another one was being filled");
    }
    filling = true;
    try {
      fill.accept(reusedEvent.clear().setType(type));
    } finally {
      filling = false;
    }
    return emit(frameId, reusedEvent);
  }

  /** Whether a flow runs inside an iteration of a Distributed Map (a child execution on AWS). */
  private boolean isChildExecution(String frameId) {
    String parentId = Frames.parentId(frameId);
    boolean iteration = frameId.charAt(frameId.lastIndexOf('/') + 1) == 'm';
    return iteration && runsChildExecutions(parentId) || !parentId.isEmpty() && isChildExecution(parentId);
  }

  /**
   * Whether the iterations of the Map state that the flow {@code frameId} is in are child executions
   * (a Distributed Map); known once per flow, not per iteration (a Map of many items has many).
   */
  private boolean runsChildExecutions(String frameId) {
    Boolean cached = childExecutions.get(frameId);
    if (cached == null) {
      cached = machine(frameId).state(frame(frameId).getStateName()) instanceof State.Map map && map.distributed();
      childExecutions.put(frameId, cached);
    }
    return cached;
  }

  /** A timer id unique in the execution: derived from the id the next event will get. */
  String nextTimerId(String suffix) {
    return "t" + (state.getLastSequence() + 1) + suffix;
  }

  FrameOrBuilder frame(String frameId) {
    return Frames.get(state, frameId);
  }

  /** Parses JSON text, reusing the node when this call has seen the text. */
  JsonNode json(String text) {
    JsonNode node = parsed.get(text);
    if (node == null) {
      node = text.isEmpty() ? Json.NODES.nullNode() : Json.parse(text);
      remember(text, node);
    }
    return node;
  }

  /** Text the caller has parsed already: {@link #json} finds its node without parsing it again. */
  void parsed(String text, JsonNode node) {
    remember(text, node);
  }

  /**
   * Text and the node it parses to; when the text is exactly what {@link Json#write} would write for
   * the node (an input sent compact, the text of an earlier step), it also stands for the node's text,
   * which is then not written again. Text in any other form (spaces, other escapes, another number
   * form) is not: events show values as the writer writes them, as AWS does.
   */
  private void remember(String text, JsonNode node) {
    parsed.put(text, node);
    if (!text.isEmpty() && Json.isWritten(text)) {
      written.putIfAbsent(node, text);
    }
  }

  /**
   * JSON text of a node, written once per node. An array whose elements' texts are all known already
   * (a Map state's results, its items) is joined from them rather than written again.
   */
  String text(JsonNode node) {
    String text = written.get(node);
    if (text == null) {
      text = node instanceof ArrayNode array ? joined(array) : null;
      if (text == null) {
        text = Json.write(node);
      }
      wrote(node, text);
    }
    return text;
  }

  /** Text this call wrote for a node: it stands for the node's text, and parses back to the node. */
  private void wrote(JsonNode node, String text) {
    written.put(node, text);
    parsed.putIfAbsent(text, node);
  }

  /** The text of an array whose elements will each be needed on their own (a Map state's items). */
  String textOfEach(ArrayNode array) {
    if (!array.isEmpty() && !written.containsKey(array) && noneWritten(array)) {
      Json.ArrayText texts = Json.writeEach(array);
      for (int i = 0; i < texts.elements().length; i++) {
        wrote(array.get(i), texts.elements()[i]);
      }
      wrote(array, texts.text());
      return texts.text();
    }
    for (JsonNode element : array) {
      text(element);
    }
    return text(array);
  }

  private boolean noneWritten(ArrayNode array) {
    for (JsonNode element : array) {
      if (written.containsKey(element)) {
        return false;
      }
    }
    return true;
  }

  /** The array's text from its elements' known texts, as the writer writes it; null when one is not known. */
  private String joined(ArrayNode array) {
    if (array.isEmpty()) {
      return null;
    }
    int length = 2;
    String[] elements = new String[array.size()];
    for (int i = 0; i < elements.length; i++) {
      elements[i] = written.get(array.get(i));
      if (elements[i] == null) {
        return null;
      }
      length += elements[i].length() + 1;
    }
    StringBuilder text = new StringBuilder(length).append('[');
    for (int i = 0; i < elements.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(elements[i]);
    }
    return text.append(']').toString();
  }

  /** The definition (top level, branch or processor) that the flow {@code frameId} runs. */
  StateMachineDefinition machine(String frameId) {
    if (frameId.isEmpty()) {
      return definition;
    }
    StateMachineDefinition cached = machines.get(frameId);
    if (cached != null) {
      return cached;
    }
    String parentId = Frames.parentId(frameId);
    StateMachineDefinition parentMachine = machine(parentId);
    State parentState = parentMachine.state(frame(parentId).getStateName());
    int last = frameId.lastIndexOf('/') + 1;
    int index = Frames.lastIndex(frameId);
    StateMachineDefinition machine = switch (frameId.charAt(last)) {
      case 'p' -> ((State.Parallel) parentState).branches().get(index);
      default -> ((State.Map) parentState).processor();
    };
    machines.put(frameId, machine);
    return machine;
  }

  /** The variables visible in flow {@code frameId}: its own scope, then every enclosing one. */
  Variables variables(String frameId) {
    return name -> {
      String id = frameId;
      while (true) {
        FrameOrBuilder frame = frame(id);
        if (frame != null) {
          String value = frame.getVariablesMap().get(name);
          if (value != null) {
            return json(value);
          }
        }
        if (id.isEmpty()) {
          return null;
        }
        id = Frames.parentId(id);
      }
    };
  }

  /** Randomness for one evaluation: seeded by the execution and the draw's place in its history. */
  SplittableRandom random() {
    return new SplittableRandom(state.getSeed() * 0x9E3779B97F4A7C15L + state.getLastSequence() * 1_000_003L + (randomDraws++));
  }

  /**
   * The scope a state's expressions see.
   *
   * @param extra context fields beyond Execution/StateMachine/State (Map.Item, Task.Token), or null
   */
  EvaluationScope scope(String frameId, State state, JsonNode input, ObjectNode extra) {
    JsonNode context = state.flow().usesContext() ? context(frameId, state, extra) : Json.NODES.objectNode();
    return EvaluationScope.of(input, context, variables(frameId), random());
  }

  /** The context object a state's expressions see, whether or not the state reads it. */
  ObjectNode contextObject(String frameId, State state) {
    return context(frameId, state, null);
  }

  /** Every variable visible from a flow (inner scopes hide outer ones), as a JSON object. */
  ObjectNode visibleVariables(String frameId) {
    ObjectNode all = Json.object();
    String id = frameId;
    while (true) {
      FrameOrBuilder frame = frame(id);
      if (frame != null) {
        for (var entry : frame.getVariablesMap().entrySet()) {
          if (!all.has(entry.getKey())) {
            all.set(entry.getKey(), json(entry.getValue()));
          }
        }
      }
      if (id.isEmpty()) {
        return all;
      }
      id = Frames.parentId(id);
    }
  }

  /** The state's input after InputPath (JSONata states: the raw input). */
  JsonNode input(String frameId, State state, JsonNode raw) {
    DataFlow flow = state.flow();
    if (flow.isJsonata() || flow.inputPath() == null && !flow.inputPathNull()) {
      return raw;
    }
    return InputOutput.selectInput(flow, scope(frameId, state, raw, null));
  }

  private ObjectNode context(String frameId, State current, ObjectNode extra) {
    if (executionContext == null) {
      ObjectNode execution = Json.object()
          .put("Id", state.getExecutionArn());
      execution.set("Input", json(state.getInput()));
      execution.put("StartTime", time(state.getStartTimeMs()))
          .put("Name", state.getName())
          .put("RoleArn", state.getRoleArn())
          .put("RedriveCount", state.getRedriveCount());
      if (state.getRedriveCount() > 0) {
        execution.put("RedriveTime", time(state.getRedriveTimeMs()));
      }
      executionContext = execution;
    }
    ObjectNode context = Json.object();
    context.set("Execution", executionContext);
    String machineArn = state.getStateMachineArn();
    context.set("StateMachine", Json.object().put("Id", machineArn)
        .put("Name", machineArn.substring(machineArn.lastIndexOf(':') + 1)));
    FrameOrBuilder frame = frame(frameId);
    ObjectNode stateNode = Json.object().put("Name", current.name())
        .put("EnteredTime", time(frame != null && frame.getEnteredTimeMs() > 0 ? frame.getEnteredTimeMs() : now));
    if (frame != null && current instanceof State.Task) {
      int retries = 0;
      for (int count : frame.getRetryCountsMap().values()) {
        retries += count;
      }
      stateNode.put("RetryCount", retries);
    }
    context.set("State", stateNode);
    if (extra != null) {
      context.setAll(extra);
    }
    return context;
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }
}
