package io.stepstream.asl.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.validation.Diagnostic;
import io.stepstream.asl.validation.ValidationResult;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeComparatorTest {

  @Test
  void shouldMatchASucceededExecutionWithTheRecordedOutput() {
    ConformanceCase c = succeeded("{\"a\": [1, \"x\"]}");

    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.SUCCEEDED, "{\"a\":[1,\"x\"]}", "", ""))).isEmpty();
    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.SUCCEEDED, "{\"a\":[1,\"y\"]}", "", "")))
        .containsExactly("output.a[1]: expected \"x\", got \"y\"");
  }

  @Test
  void shouldReportAWrongStatusWithTheErrorWeFailedWith() {
    ConformanceCase c = succeeded("{}");

    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.FAILED, "", "States.Runtime", "boom")))
        .containsExactly("status: expected SUCCEEDED, got FAILED (States.Runtime: boom)");
  }

  @Test
  void shouldCompareTheErrorExactlyAndTheCauseExceptForPlaceholders() {
    ConformanceCase c = failed("States.Runtime", "The JSONPath '$.x' could not be found in the input '<json-input:1>'",
        null, List.of("<json-input:1>"));

    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.FAILED, "", "States.Runtime",
        "The JSONPath '$.x' could not be found in the input '{\"y\":1}'"))).isEmpty();
    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.FAILED, "", "States.runtime",
        "The JSONPath '$.z' could not be found in the input '{\"y\":1}'")))
        .hasSize(2)
        .first().isEqualTo("error: expected States.Runtime, got States.runtime");
  }

  @Test
  void shouldCompareAJsonCauseParsed() {
    ConformanceCase c = failed("States.BranchFailed", "{\"a\":1,\"b\":\"c\"}", "{\"b\": \"c\", \"a\": 1}", List.of());

    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.FAILED, "", "States.BranchFailed",
        "{\"a\": 1, \"b\": \"c\"}"))).isEmpty();
    assertThat(OutcomeComparator.compare(c, outcome(ExecutionStatus.FAILED, "", "States.BranchFailed",
        "{\"a\": 2, \"b\": \"c\"}"))).containsExactly("cause.a: expected 1, got 2");
  }

  @Test
  void shouldRequireTheValidatorToRejectWithAwssMessage() {
    ConformanceCase c = invalid("An error occurred (InvalidDefinition) when calling the CreateStateMachine operation: "
        + "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: bad at /States/A'");
    Diagnostic same = new Diagnostic(Diagnostic.Severity.ERROR, "SCHEMA_VALIDATION_FAILED", "bad", "/States/A");
    Diagnostic other = new Diagnostic(Diagnostic.Severity.ERROR, "SCHEMA_VALIDATION_FAILED", "worse", "/States/A");

    assertThat(OutcomeComparator.compareRejection(c, ValidationResult.of(List.of(same)))).isEmpty();
    assertThat(OutcomeComparator.compareRejection(c, ValidationResult.of(List.of(other))))
        .singleElement().asString().contains("(same code)");
    assertThat(OutcomeComparator.compareRejection(c, ValidationResult.of(List.of())))
        .containsExactly("validation: expected InvalidDefinition, the validator accepted the definition");
  }

  private static ConformanceCase succeeded(String output) {
    return new ConformanceCase("t", "{}", Json.object(),
        new ConformanceCase.Expected("SUCCEEDED", Json.parse(output), null, null, null), List.of(), List.of(),
        Json.array());
  }

  private static ConformanceCase failed(String error, String cause, String causeJson, List<String> wildcards) {
    return new ConformanceCase("t", "{}", Json.object(),
        new ConformanceCase.Expected("FAILED", null, error, cause, causeJson == null ? null : Json.parse(causeJson)),
        wildcards, List.of(), Json.array());
  }

  private static ConformanceCase invalid(String cause) {
    return new ConformanceCase("t", "{}", null,
        new ConformanceCase.Expected("INVALID_DEFINITION", null, "InvalidDefinition", cause, null), List.of(),
        List.of(), Json.array());
  }

  private static ExecutionOutcome outcome(ExecutionStatus status, String output, String error, String cause) {
    return new ExecutionOutcome(status, output, error, cause, List.of(), ExecutionState.getDefaultInstance());
  }
}
