package io.stepstream.asl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.driver.InMemoryDriver;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionStatus;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the conformance run against passing vacuously: for every case we execute, an expectation
 * altered in one place (the output wrapped in an array, the error renamed, the last history event
 * dropped) must be reported as a difference.
 */
class ComparatorSensitivityTest {

  @Test
  void shouldNoticeAnAlteredExpectationInEveryExecutedCase() {
    assumeTrue(Files.isDirectory(ConformanceTest.corpusDirectory().resolve(ConformanceCase.CASES)),
        "conformance corpus not found");
    InMemoryDriver driver = InMemoryDriver.create();
    List<String> unnoticed = new ArrayList<>();
    int checked = 0;
    for (ConformanceCase c : ConformanceCase.loadAll(ConformanceTest.corpusDirectory())) {
      if (c.expected().invalidDefinition()) {
        continue;
      }
      ExecutionOutcome outcome;
      try {
        outcome = driver.run(DefinitionCompiler.compile(c.definitionText()), Json.write(c.input()));
      } catch (RuntimeException e) {
        continue; // A crash is the conformance run's business; here only comparisons are checked.
      }
      checked++;
      ConformanceCase.Expected e = c.expected();
      ConformanceCase.Expected altered = outcome.status() == ExecutionStatus.SUCCEEDED
          ? new ConformanceCase.Expected(e.status(), Json.array().add(outcome.outputJson()), e.error(), e.cause(),
              e.causeJson())
          : new ConformanceCase.Expected(e.status(), e.output(), outcome.error() + "X", e.cause(), e.causeJson());
      ConformanceCase alteredCase = new ConformanceCase(c.id(), c.definitionText(), c.input(), altered,
          c.wildcards(), c.historyTypes(), c.history());
      if (OutcomeComparator.compare(alteredCase, outcome).isEmpty()) {
        unnoticed.add(c.id() + " (result)");
      }
      List<String> ours = CaseRunner.visibleTypes(outcome);
      if (!c.historyTypes().isEmpty()
          && HistoryComparison.difference(c.history(), ours.subList(0, ours.size() - 1)) == null) {
        unnoticed.add(c.id() + " (history)");
      }
    }

    assertThat(checked).isGreaterThan(0);
    assertThat(unnoticed).isEmpty();
  }
}
