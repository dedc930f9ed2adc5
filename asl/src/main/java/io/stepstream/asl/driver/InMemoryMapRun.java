package io.stepstream.asl.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.Batcher;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.asl.maprun.ItemSelection;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.asl.maprun.Tolerance;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.MapRunEnded;
import io.stepstream.proto.StartMapRun;

/**
 * A Distributed Map's map run in memory: children one after another through the same driver, over
 * inline items (there is no object store in memory: an ItemReader fails the run with
 * States.ItemReaderFailed). ItemSelector, ItemBatcher and the tolerated-failure rule are the map-run
 * service's own ({@link io.stepstream.asl.maprun}).
 */
final class InMemoryMapRun {

  private InMemoryMapRun() {}

  /**
   * Runs the map run to its end.
   *
   * @param root the definition of the parent's top-level state machine
   * @param child runs one child: (definition, input, child ARN) -> outcome
   */
  static MapRunEnded run(StartMapRun spec, StateMachineDefinition root,
      ChildRunner child) {
    if (!spec.getItemReader().isEmpty()) {
      return failed(spec, StatesErrors.ITEM_READER_FAILED, "The in-memory driver has no object store to read items from");
    }
    State.Map map = DistributedMaps.resolve(root, spec.getLabel());
    if (map == null) {
      throw new IllegalStateException("no Distributed Map labelled " + spec.getLabel());
    }
    JsonNode items = Json.parse(spec.getInlineItems());
    ItemSelection selection = new ItemSelection(map, Json.parse(spec.getStateInput()), Json.parse(spec.getContext()),
        Json.parse(spec.getVariables()), spec.getSeed());
    Batcher batcher = new Batcher(spec.getBatching(), spec.getMaxItemsPerBatch(), spec.getMaxInputBytesPerBatch(),
        spec.getBatchInput().isEmpty() ? null : Json.parse(spec.getBatchInput()));
    ArrayNode outputs = Json.array();
    long failedItems = 0;
    long childIndex = 0;
    for (int i = 0; i <= items.size(); i++) {
      Batcher.Batch batch;
      if (i < items.size()) {
        try {
          batch = batcher.add(selection.select(i, items.get(i)));
        } catch (StatesException e) {
          return failed(spec, e.error(), e.cause());
        }
      } else {
        batch = batcher.flush();
      }
      if (batch == null) {
        continue;
      }
      ExecutionOutcome outcome = child.run(map.processor(), Json.write(batch.input()),
          MapRunNames.childArn(spec.getMapRunArn(), childIndex++, false));
      if (outcome.status() == ExecutionStatus.SUCCEEDED) {
        outputs.add(outcome.output() == null || outcome.output().isEmpty() ? Json.NODES.nullNode()
            : Json.parse(outcome.output()));
      } else {
        failedItems += batch.items();
        outputs.add(Json.NODES.nullNode());
        if (Tolerance.exceeded(failedItems, items.size(), false, spec.getToleratedCountSet(),
            spec.getToleratedFailureCount(), spec.getToleratedPercentageSet(), spec.getToleratedFailurePercentage())) {
          return failed(spec, StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, Tolerance.CAUSE);
        }
      }
    }
    if (Tolerance.exceeded(failedItems, items.size(), true, spec.getToleratedCountSet(),
        spec.getToleratedFailureCount(), spec.getToleratedPercentageSet(), spec.getToleratedFailurePercentage())) {
      return failed(spec, StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD, Tolerance.CAUSE);
    }
    return MapRunEnded.newBuilder().setMapRunArn(spec.getMapRunArn()).setStatus(ExecutionStatus.SUCCEEDED)
        .setOutput(Json.write(outputs)).build();
  }

  private static MapRunEnded failed(StartMapRun spec, String error, String cause) {
    return MapRunEnded.newBuilder().setMapRunArn(spec.getMapRunArn()).setStatus(ExecutionStatus.FAILED).setError(error).setCause(cause).build();
  }

  /** Runs one child execution to its end. */
  interface ChildRunner {
    ExecutionOutcome run(StateMachineDefinition definition, String input, String executionArn);
  }
}
