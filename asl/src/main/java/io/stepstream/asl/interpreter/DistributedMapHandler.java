package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.PathFailures;
import io.stepstream.asl.definition.DistributedConfig;
import io.stepstream.asl.definition.PathValue;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.MapRunEnded;
import io.stepstream.proto.MapRunFailedEventDetails;
import io.stepstream.proto.MapRunRedrivenEventDetails;
import io.stepstream.proto.RedriveMapRunRequest;
import io.stepstream.proto.MapRunStartedEventDetails;
import io.stepstream.proto.MapStateStartedEventDetails;
import io.stepstream.proto.StartMapRun;
import io.stepstream.proto.StopMapRunRequest;
import io.stepstream.proto.WorkflowType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The Distributed Map state in the parent execution: it evaluates what the map run needs from the
 * parent's data (items or ItemReader parameters, concurrency, tolerances, batching, ResultWriter),
 * hands the run to the map-run service as a {@link StartMapRun} effect and waits for its
 * {@link MapRunEnded} command. The items, the children and their results never enter the parent's
 * state.
 */
final class DistributedMapHandler {

  /** AWS's ceiling on a map run's concurrency, also what 0 (no limit) means. */
  static final int MAX_CONCURRENCY = 10_000;

  private DistributedMapHandler() {}

  static void run(Runner runner, String frameId, State.Map map, JsonNode raw) {
    Session s = runner.s;
    boolean jsonata = map.flow().isJsonata();
    DistributedConfig config = map.distributedConfig();
    JsonNode input = s.input(frameId, map, raw);
    EvaluationScope scope = s.scope(frameId, map, input, null);
    StartMapRun.Builder spec = StartMapRun.newBuilder();
    int length = 0;
    try {
      // As on AWS, the items and MaxConcurrency are read before MapStateStarted, the rest after it.
      if (map.itemReader() == null) {
        JsonNode items = MapHandler.items(map, scope);
        length = items.size();
        spec.setInlineItems(s.text(items));
      }
      spec.setMaxConcurrency((int) Math.min(MAX_CONCURRENCY,
          MapHandler.integer(map.maxConcurrency(), scope, "MaxConcurrency", 0)));
    } catch (StatesException e) {
      MapHandler.failStart(runner, frameId, map, raw, e);
      return;
    }
    HistoryEvent started = runner.emit(frameId, HistoryEventType.MapStateStarted, HistoryEvent.newBuilder()
        .setMapStateStartedEventDetails(MapStateStartedEventDetails.newBuilder().setLength(length)
            .setMaxConcurrency(spec.getMaxConcurrency())));
    // Failures from here on reach Runner.run, which fails the state.
    configure(spec, map, config, scope, jsonata, s);
    String parentMachine = s.state.getStateMachineArn();
    String label = MapRunNames.label(map);
    String mapRunArn = MapRunNames.mapRunArn(parentMachine, label,
        MapRunNames.uuid("maprun:" + s.state.getExecutionArn() + "#" + s.state.getSeed() + "#" + started.getSequence()));
    String outerLabels = DistributedMaps.labels(parentMachine);
    FrameOrBuilder frame = s.frame(frameId);
    spec.setMapRunArn(mapRunArn)
        .setParentExecutionArn(s.state.getExecutionArn())
        .setParentType(s.state.getType())
        .setStateMachineArn(DistributedMaps.rootArn(parentMachine))
        .setStateMachineRevision(s.state.getStateMachineRevision())
        .setProcessorArn(MapRunNames.processorArn(mapRunArn))
        .setChildType("EXPRESS".equals(config.childExecutionType()) ? WorkflowType.EXPRESS : WorkflowType.STANDARD)
        .setLabel(outerLabels == null ? label : outerLabels + "/" + label)
        .setStateName(map.name())
        .setStateInput(s.text(input))
        .setContext(s.text(s.contextObject(frameId, map)))
        .setVariables(s.text(s.visibleVariables(frameId)))
        .setSeed(s.state.getSeed() ^ started.getSequence())
        .setRoleArn(s.state.getRoleArn())
        .setEnteredEventId(frame == null ? 0 : frame.getEnteredEventId());
    runner.emit(frameId, HistoryEventType.MapRunStarted, HistoryEvent.newBuilder().setMapRunStartedEventDetails(
        MapRunStartedEventDetails.newBuilder().setMapRunArn(mapRunArn)));
    s.effects.add(Effect.newBuilder().setStartMapRun(spec).build());
  }

  private static void configure(StartMapRun.Builder spec, State.Map map, DistributedConfig config,
      EvaluationScope scope, boolean jsonata, Session s) {
    if (map.toleratedFailureCount() != null) {
      spec.setToleratedCountSet(true).setToleratedFailureCount(
          MapHandler.integer(map.toleratedFailureCount(), scope, "ToleratedFailureCount", 0));
    }
    if (map.toleratedFailurePercentage() != null) {
      spec.setToleratedPercentageSet(true).setToleratedFailurePercentage(
          percentage(map.toleratedFailurePercentage(), scope));
    }
    if (map.itemReader() != null) {
      ObjectNode reader = map.itemReader().deepCopy();
      reader.remove("Arguments");
      reader.remove("Parameters");
      if (config.readerParameters() != null) {
        reader.set("Parameters", config.readerParameters().evaluate(scope, jsonata ? "Arguments" : "Parameters"));
      }
      if (config.maxItems() != null) {
        ObjectNode readerConfig = reader.with("ReaderConfig");
        readerConfig.remove("MaxItemsPath");
        readerConfig.put("MaxItems", MapHandler.anyInteger(config.maxItems(), scope, "MaxItems", 0));
      }
      spec.setItemReader(Json.write(reader));
    }
    if (config.batching()) {
      spec.setBatching(true)
          .setMaxItemsPerBatch(MapHandler.integer(config.maxItemsPerBatch(), scope, "MaxItemsPerBatch", 0))
          .setMaxInputBytesPerBatch(
              MapHandler.integer(config.maxInputBytesPerBatch(), scope, "MaxInputBytesPerBatch", 0));
      if (config.batchInput() != null) {
        spec.setBatchInput(s.text(config.batchInput().evaluate(scope, "BatchInput")));
      }
    }
    if (map.resultWriter() != null) {
      ObjectNode writer = map.resultWriter().deepCopy();
      writer.remove("Arguments");
      writer.remove("Parameters");
      if (config.writerParameters() != null) {
        writer.set("Parameters", config.writerParameters().evaluate(scope, jsonata ? "Arguments" : "Parameters"));
      }
      spec.setResultWriter(Json.write(writer));
    }
  }

  /** The map run ended: the Map state succeeds with its output, or fails (and may be retried or caught). */
  static void ended(Runner runner, String frameId, State.Map map, JsonNode raw, MapRunEnded ended) {
    Session s = runner.s;
    if (ended.getStatus() == ExecutionStatus.SUCCEEDED) {
      runner.emit(frameId, HistoryEventType.MapRunSucceeded, HistoryEvent.newBuilder());
      runner.emit(frameId, HistoryEventType.MapStateSucceeded, HistoryEvent.newBuilder());
      JsonNode input = s.input(frameId, map, raw);
      runner.succeed(frameId, map, raw, s.json(ended.getOutput()), s.scope(frameId, map, input, null));
      return;
    }
    MapRunFailedEventDetails.Builder details = MapRunFailedEventDetails.newBuilder();
    if (!ended.getError().isEmpty()) {
      details.setError(ended.getError());
    }
    if (!ended.getCause().isEmpty()) {
      details.setCause(ended.getCause());
    }
    runner.emit(frameId, HistoryEventType.MapRunFailed, HistoryEvent.newBuilder().setMapRunFailedEventDetails(details));
    if (!runner.retry(frameId, map, ended.getError())) {
      runner.emit(frameId, HistoryEventType.MapStateFailed, HistoryEvent.newBuilder());
      runner.catchOrFail(frameId, map, raw, ended.getError(), ended.getCause());
    }
  }

  /**
   * The parent is redriven while its Distributed Map had failed: the same map run runs its
   * unsuccessful children again (MapRunRedriven) and reports its end once more; a Map state that
   * failed before its map run started is entered again.
   */
  static void redrive(Runner runner, String frameId, State.Map map, JsonNode raw, FrameOrBuilder frame) {
    String mapRunArn = frame.hasMap() ? frame.getMapOrBuilder().getMapRunArn() : "";
    if (mapRunArn.isEmpty()) {
      runner.enter(frameId, map, raw);
      return;
    }
    int redriveCount = runner.s.state.getRedriveCount();
    runner.emit(frameId, HistoryEventType.MapRunRedriven, HistoryEvent.newBuilder()
        .setMapRunRedrivenEventDetails(MapRunRedrivenEventDetails.newBuilder().setMapRunArn(mapRunArn)
            .setRedriveCount(redriveCount)));
    runner.s.effects.add(Effect.newBuilder().setRedriveMapRun(RedriveMapRunRequest.newBuilder()
        .setMapRunArn(mapRunArn).setRedriveCount(redriveCount)).build());
  }

  /**
   * The execution ends while map runs are active (stopped, timed out, or failed elsewhere, e.g. in
   * another branch of a Parallel): each gets a MapRunAborted event and a request to the map-run
   * service to stop its children.
   */
  static void abortAll(Runner runner, String error, String cause) {
    List<String> frames = new ArrayList<>();
    collect(runner.s.state.getRootOrBuilder(), frames);
    for (String frameId : frames) {
      String mapRunArn = runner.s.frame(frameId).getMapOrBuilder().getMapRunArn();
      runner.emit(frameId, HistoryEventType.MapRunAborted, HistoryEvent.newBuilder());
      StopMapRunRequest.Builder stop = StopMapRunRequest.newBuilder().setMapRunArn(mapRunArn);
      if (error != null) {
        stop.setError(error);
      }
      if (cause != null) {
        stop.setCause(cause);
      }
      runner.s.effects.add(Effect.newBuilder().setStopMapRun(stop).build());
    }
  }

  private static void collect(FrameOrBuilder frame, List<String> out) {
    if (frame.hasMap() && !frame.getMapOrBuilder().getMapRunArn().isEmpty()) {
      if (!frame.getMapOrBuilder().getMapRunEnded()) {
        out.add(frame.getId());
      }
    } else if (frame.hasParallel()) {
      frame.getParallelOrBuilder().getBranchesOrBuilderList().forEach(branch -> collect(branch, out));
    } else if (frame.hasMap()) {
      frame.getMapOrBuilder().getRunningOrBuilderList().forEach(iteration -> collect(iteration, out));
    }
  }

  /** ToleratedFailurePercentage: any number from 0 to 100, fractions included. */
  private static double percentage(ValueTemplate template, EvaluationScope scope) {
    JsonNode value = template.evaluate(scope, "ToleratedFailurePercentagePath");
    BigDecimal number = null;
    if (value.isNumber()) {
      number = value.decimalValue();
    } else if (value.isTextual()) {
      try {
        number = new BigDecimal(value.textValue().trim());
      } catch (NumberFormatException e) {
        number = null;
      }
    }
    if (number == null) {
      String path = template instanceof PathValue pathValue ? pathValue.path().text() : "ToleratedFailurePercentage";
      throw PathFailures.notAFloat("ToleratedFailurePercentagePath", path, value);
    }
    if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw StatesException.runtime("ToleratedFailurePercentage must be between 0 and 100.");
    }
    return number.doubleValue();
  }
}
