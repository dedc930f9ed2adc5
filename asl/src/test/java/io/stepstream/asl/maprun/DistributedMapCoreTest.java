package io.stepstream.asl.maprun;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.driver.InMemoryDriver;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure part of Distributed Map: names, label lookup, ItemSelector, ItemBatcher, tolerance. */
class DistributedMapCoreTest {

  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:photos";

  @Test
  void shouldNameMapRunsAndChildrenAsAwsDoes() {
    String run = MapRunNames.mapRunArn(MACHINE, "nightly", "11111111-2222-3333-4444-555555555555");
    assertThat(run).isEqualTo(
        "arn:aws:states:us-east-1:123456789012:mapRun:photos/nightly:11111111-2222-3333-4444-555555555555");
    assertThat(MapRunNames.isMapRunArn(run)).isTrue();
    assertThat(MapRunNames.isMapRunArn(MACHINE)).isFalse();
    assertThat(MapRunNames.processorArn(run)).isEqualTo(MACHINE + "/nightly");
    assertThat(MapRunNames.mapRunId(run)).isEqualTo("11111111-2222-3333-4444-555555555555");
    String child = MapRunNames.childArn(run, 7, false);
    assertThat(child).startsWith("arn:aws:states:us-east-1:123456789012:execution:photos/nightly:")
        .isEqualTo(MapRunNames.childArn(run, 7, false)).isNotEqualTo(MapRunNames.childArn(run, 8, false));
    assertThat(MapRunNames.childArn(run, 7, true)).startsWith("arn:aws:states:us-east-1:123456789012:express:photos/nightly:");
    // Nested: a map run of a child names the whole label path.
    String nested = MapRunNames.mapRunArn(MACHINE + "/nightly", "inner", "id");
    assertThat(MapRunNames.processorArn(nested)).isEqualTo(MACHINE + "/nightly/inner");
    assertThat(DistributedMaps.rootArn(MACHINE + "/nightly/inner")).isEqualTo(MACHINE);
    assertThat(DistributedMaps.labels(MACHINE + "/nightly/inner")).isEqualTo("nightly/inner");
    assertThat(DistributedMaps.labels(MACHINE)).isNull();
  }

  @Test
  void shouldFindTheProcessorOfALabelledMapInsideParallelAndInlineMaps() {
    String definition = """
        {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Map", "Label": "deep", "End": true,
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Leaf", "States": {"Leaf": {"Type": "Map", "End": true,
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                    "StartAt": "Last", "States": {"Last": {"Type": "Pass", "End": true}}}}}}}}}}}}]}}}""";
    StateMachineDefinition root = DefinitionCompiler.compile(definition);
    State.Map deep = DistributedMaps.resolve(root, "deep");
    assertThat(deep.name()).isEqualTo("Inner");
    assertThat(DistributedMaps.processor(root, MACHINE + "/deep").startAt()).isEqualTo("Leaf");
    String leafLabel = MapRunNames.label(deep.processor().states().get("Leaf") instanceof State.Map m ? m : null);
    assertThat(DistributedMaps.processor(root, MACHINE + "/deep/" + leafLabel).startAt()).isEqualTo("Last");
    assertThat(DistributedMaps.resolve(root, "nothing")).isNull();
    assertThat(Json.parse(DistributedMaps.processorDefinition(definition, "deep/" + leafLabel)).path("StartAt").asText())
        .isEqualTo("Last");
    assertThat(DistributedMaps.processorDefinition(definition, "deep")).doesNotContain("\"Mode\":\"DISTRIBUTED\",\"ExecutionType\"");
  }

  @Test
  void shouldBatchByCountAndBytesWithBatchInput() {
    Batcher byCount = new Batcher(true, 2, 0, Json.parse("{\"night\": 1}"));
    assertThat(byCount.add(Json.parse("1"))).isNull();
    Batcher.Batch batch = byCount.add(Json.parse("2"));
    assertThat(batch.items()).isEqualTo(2);
    assertThat(batch.input()).isEqualTo(Json.parse("{\"BatchInput\": {\"night\": 1}, \"Items\": [1, 2]}"));
    assertThat(byCount.add(Json.parse("3"))).isNull();
    assertThat(byCount.flush().input()).isEqualTo(Json.parse("{\"BatchInput\": {\"night\": 1}, \"Items\": [3]}"));
    assertThat(byCount.flush()).isNull();

    // {"Items":[]} is 12 bytes; each item adds its size and a comma.
    Batcher byBytes = new Batcher(true, 0, 30, null);
    List<Batcher.Batch> batches = new ArrayList<>();
    for (String item : List.of("\"aaaaaaa\"", "\"bbbbbbb\"", "\"ccccccc\"")) {
      Batcher.Batch closed = byBytes.add(Json.parse(item));
      if (closed != null) {
        batches.add(closed);
      }
    }
    batches.add(byBytes.flush());
    assertThat(batches).extracting(Batcher.Batch::items).containsExactly(1, 1, 1);

    Batcher none = new Batcher(false, 0, 0, null);
    assertThat(none.add(Json.parse("{\"a\": 1}"))).isEqualTo(new Batcher.Batch(Json.parse("{\"a\": 1}"), 1));
  }

  @Test
  void shouldTolerateByCountAtOnceAndByPercentageOfAllItems() {
    assertThat(Tolerance.exceeded(1, 10, false, false, 0, false, 0)).isTrue();
    assertThat(Tolerance.exceeded(0, 10, true, false, 0, false, 0)).isFalse();
    assertThat(Tolerance.exceeded(2, 10, false, true, 2, false, 0)).isFalse();
    assertThat(Tolerance.exceeded(3, 10, false, true, 2, false, 0)).isTrue();
    // 40 of 6,000 items is 0.67 %: within 1 %; 100 is 1.67 %. Unknown until every item is read.
    assertThat(Tolerance.exceeded(100, 2_000, false, false, 0, true, 1)).isFalse();
    assertThat(Tolerance.exceeded(40, 6_000, true, false, 0, true, 1)).isFalse();
    assertThat(Tolerance.exceeded(100, 6_000, true, false, 0, true, 1)).isTrue();
    // Fractions: 1 of 200 is 0.5 % (tolerated at 0.5), 2 of 200 is 1 %.
    assertThat(Tolerance.exceeded(1, 200, true, false, 0, true, 0.5)).isFalse();
    assertThat(Tolerance.exceeded(2, 200, true, false, 0, true, 0.5)).isTrue();
  }

  @Test
  void shouldRunADistributedMapInMemoryWithJsonataSelectorBatchesAndAFractionalTolerance() {
    StateMachineDefinition definition = DefinitionCompiler.compile("""
        {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
          "Items": "{% $states.input.values %}", "ToleratedFailurePercentage": 34.5,
          "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}", "i": "{% $states.context.Map.Item.Index %}"},
          "ItemBatcher": {"MaxItemsPerBatch": 2},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Check", "States": {"Check": {"Type": "Choice",
              "Choices": [{"Condition": "{% $states.input.Items[0].v = 'bad' %}", "Next": "Fail"}],
              "Default": "Ok"},
              "Ok": {"Type": "Pass", "End": true, "Output": "{% $states.input.Items.i %}"},
              "Fail": {"Type": "Fail", "Error": "Bad", "Cause": "bad item"}}},
          "End": true}}}""");
    ExecutionOutcome outcome = InMemoryDriver.create().run(definition,
        "{\"values\": [\"bad\", \"x\", \"y\", \"z\", \"w\", \"v\"]}");
    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(outcome.output())).isEqualTo(Json.parse("[null, [2, 3], [4, 5]]"));
    assertThat(outcome.events()).extracting(HistoryEvent::getType).containsSubsequence(HistoryEventType.MapStateStarted,
        HistoryEventType.MapRunStarted, HistoryEventType.MapRunSucceeded, HistoryEventType.MapStateSucceeded);

    ExecutionOutcome strict = InMemoryDriver.create().run(DefinitionCompiler.compile("""
        {"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailurePercentage": 33.3,
          "ItemBatcher": {"MaxItemsPerBatch": 2},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad"}}},
          "End": true}}}"""), "[1, 2, 3, 4, 5, 6]");
    assertThat(strict.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(strict.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    assertThat(strict.events()).extracting(HistoryEvent::getType).contains(HistoryEventType.MapRunFailed);
  }
}
