package io.stepstream.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkflowsTest {

  @ParameterizedTest
  @EnumSource(Workflows.class)
  void shouldSucceedInOneCommand(Workflows workflow) {
    Step step = workflow.runOnceChecked(Workflows.interpreter(), workflow.compile());

    assertThat(step.state().getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @ParameterizedTest
  @EnumSource(value = Workflows.class, names = {"PASS_CHOICE_JSONPATH", "PASS_CHOICE_JSONATA"})
  void shouldTakeTheFiveStatePathToSucceed(Workflows workflow) {
    Step step = workflow.runOnceChecked(Workflows.interpreter(), workflow.compile());

    assertThat(step.events()).filteredOn(e -> e.getType().name().endsWith("StateEntered")).hasSize(5);
    assertThat(step.events()).extracting(e -> e.getType()).contains(HistoryEventType.SucceedStateEntered);
    assertThat(Json.parse(step.state().getOutput()).at("/discount/code").asText()).isEqualTo("BIG10");
  }

  @Test
  void shouldMapEveryItem() {
    Step step = Workflows.MAP_100_PASS.runOnceChecked(Workflows.interpreter(), Workflows.MAP_100_PASS.compile());

    assertThat(Json.parse(step.state().getOutput())).hasSize(100);
  }

  @Test
  void shouldRefuseToBenchmarkAnExecutionThatDidNotSucceed() {
    // The guard the benchmarks' setup relies on: a failing run must not be measured.
    Step failed = Workflows.interpreter().process(ExecutionState.getDefaultInstance(),
        Workflows.PASS_CHOICE_JSONPATH.startCommand(),
        DefinitionCompiler.compile("{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"Error\": \"Boom\"}}}"));

    assertThatThrownBy(() -> Workflows.requireSucceeded("broken", failed))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("broken did not succeed: status FAILED");
  }

  @Test
  void shouldUseAnOrderOfAboutTwoHundredBytes() {
    assertThat(Workflows.ORDER.length()).isBetween(150, 260);
  }
}
