package io.stepstream.asl.conformance;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.driver.InMemoryDriver;
import io.stepstream.asl.interpreter.ExecutionStateApplier;
import io.stepstream.asl.interpreter.HistoryView;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.validation.DefinitionValidator;
import io.stepstream.asl.validation.ValidationResult;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one conformance case: validate, compile, execute through the {@link InMemoryDriver}, compare
 * with the recording, and check the two invariants every execution must keep (state is the fold of
 * its events; the same execution twice gives the same events).
 */
final class CaseRunner {

  /** Names and seed of every conformance execution; the recordings mask AWS's names and ARNs. */
  static final String STATE_MACHINE_NAME = "ConformanceMachine";
  static final String EXECUTION_NAME = "conformance-execution";
  static final long SEED = 20_240_101L;

  private static final InMemoryDriver DRIVER =
      InMemoryDriver.builder().stateMachineName(STATE_MACHINE_NAME).build();

  private CaseRunner() {}

  static CaseResult run(ConformanceCase c) {
    boolean historyRecorded = !c.historyTypes().isEmpty();
    if (c.expected().invalidDefinition()) {
      ValidationResult validation;
      try {
        validation = DefinitionValidator.validate(c.definitionText());
      } catch (RuntimeException e) {
        return failed(c, "validator crashed: " + e.getClass().getSimpleName(), List.of("validator crashed: " + describe(e)),
            historyRecorded ? "validator crashed" : null);
      }
      List<String> differences = OutcomeComparator.compareRejection(c, validation);
      String category = validation.ok() ? "validator accepted an invalid definition" : "validation message differs";
      return differences.isEmpty() ? passed(c, null) : failed(c, category, differences, null);
    }
    if (c.input() == null) {
      return new CaseResult(c.id(), CaseResult.Verdict.SKIPPED, "no input recorded", List.of(), false, null);
    }
    String stage = "validate";
    try {
      ValidationResult validation = DefinitionValidator.validate(c.definitionText());
      if (!validation.ok()) {
        String message = validation.invalidDefinitionMessage();
        return failed(c, "validator rejected a definition AWS ran: " + code(validation),
            List.of("validator rejected: " + Placeholders.abbreviate(message)), historyRecorded ? "not run" : null);
      }
      stage = "compile";
      StateMachineDefinition definition = DefinitionCompiler.compile(c.definitionText());
      stage = "run";
      String input = Json.write(c.input());
      ExecutionOutcome outcome = DRIVER.run(definition, input, EXECUTION_NAME, SEED);
      List<String> differences = new ArrayList<>(OutcomeComparator.compare(c, outcome));
      String category = differences.isEmpty() ? "" : category(c, outcome, differences.getFirst());
      String fold = foldDifference(outcome);
      if (fold != null) {
        differences.add(fold);
        category = category.isEmpty() ? "fold invariant broken" : category;
      }
      stage = "rerun";
      ExecutionOutcome again = DRIVER.run(definition, input, EXECUTION_NAME, SEED);
      if (!again.events().equals(outcome.events()) || !again.state().equals(outcome.state())) {
        differences.add("determinism: a second run gave different events or state");
        category = category.isEmpty() ? "nondeterministic" : category;
      }
      String history = historyRecorded ? HistoryComparison.difference(c.history(), visibleTypes(outcome)) : null;
      if (historyRecorded && history == null) {
        history = HistoryComparison.idDifference(c.history(),
            outcome.events().stream().filter(HistoryView::isVisible).toList());
      }
      return differences.isEmpty() ? passed(c, history) : failed(c, category, differences, history);
    } catch (RuntimeException | StackOverflowError e) {
      String what = stage + " crashed: " + describe(e);
      return failed(c, stage + " crashed: " + e.getClass().getSimpleName() + ": " + firstWords(e.getMessage()),
          List.of(what), historyRecorded ? "not run" : null);
    }
  }

  /** The types of our events that AWS's GetExecutionHistory would show. */
  static List<String> visibleTypes(ExecutionOutcome outcome) {
    List<String> types = new ArrayList<>(outcome.events().size());
    for (HistoryEvent event : outcome.events()) {
      if (HistoryView.isVisible(event)) {
        types.add(event.getType().name());
      }
    }
    return types;
  }

  /** Null when folding the events from the empty state gives exactly the final state. */
  static String foldDifference(ExecutionOutcome outcome) {
    ExecutionState folded = ExecutionState.getDefaultInstance();
    for (HistoryEvent event : outcome.events()) {
      folded = ExecutionStateApplier.apply(folded, event);
    }
    return folded.equals(outcome.state()) ? null
        : "fold: folding the " + outcome.events().size() + " events does not give the final state";
  }

  private static String category(ConformanceCase c, ExecutionOutcome outcome, String firstDifference) {
    if (firstDifference.startsWith("status:")) {
      return "status " + c.expected().status() + " -> " + outcome.status()
          + (outcome.error().isEmpty() ? "" : " (" + outcome.error() + ")");
    }
    if (firstDifference.startsWith("error:")) {
      return "error " + c.expected().error() + " -> " + outcome.error();
    }
    if (firstDifference.startsWith("cause")) {
      return "cause differs (" + c.expected().error() + ")";
    }
    return "output differs";
  }

  private static String code(ValidationResult validation) {
    return validation.errors().isEmpty() ? "?" : validation.errors().getFirst().code();
  }

  private static CaseResult passed(ConformanceCase c, String historyDifference) {
    return new CaseResult(c.id(), CaseResult.Verdict.PASSED, "", List.of(), !c.historyTypes().isEmpty(),
        historyDifference);
  }

  private static CaseResult failed(ConformanceCase c, String category, List<String> differences, String history) {
    return new CaseResult(c.id(), CaseResult.Verdict.FAILED, category, List.copyOf(differences),
        !c.historyTypes().isEmpty(), c.historyTypes().isEmpty() ? null : history);
  }

  private static String describe(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    String where = trace.length == 0 ? "" : " at " + trace[0].getClassName()
        .substring(trace[0].getClassName().lastIndexOf('.') + 1) + "." + trace[0].getMethodName()
        + ":" + trace[0].getLineNumber();
    return e.getClass().getSimpleName() + ": " + Placeholders.abbreviate(String.valueOf(e.getMessage())) + where;
  }

  /** The start of an exception message, enough to group crashes with the same cause. */
  private static String firstWords(String message) {
    if (message == null) {
      return "(no message)";
    }
    String line = message.lines().findFirst().orElse("");
    // Drop quoted specifics (state names, values) so that one bug is one group.
    String general = line.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"");
    return general.length() > 70 ? general.substring(0, 70) + "…" : general;
  }
}
