package io.stepstream.asl.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The project's own conformance cases, in the corpus format, under {@code asl/src/test/resources/fidelity}:
 * AWS rules the shared corpus does not exercise, each written here from the rule its {@code notes} state
 * (not recorded, not copied). Unlike the corpus, every case must pass, and where a case gives a history,
 * its event types, ids and previousEventIds must match exactly. The server runs the same cases through
 * the API ({@code ConformanceThroughApiTest}).
 */
public class FidelityCasesTest {

  @TestFactory
  Stream<DynamicTest> shouldBehaveAsAwsOnTheProjectsOwnCases() {
    return ConformanceCase.loadAll(directory()).stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
      CaseResult result = CaseRunner.run(c);
      assertThat(result.differences()).as("outcome of %s", c.id()).isEmpty();
      assertThat(result.verdict()).isEqualTo(CaseResult.Verdict.PASSED);
      assertThat(result.historyDifference()).as("history of %s", c.id()).isNull();
    }));
  }

  /** The folder holding {@code cases/}, found from either module's directory. */
  public static Path directory() {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    return module.getParent().resolve("asl/src/test/resources/fidelity");
  }
}
