package io.stepstream.asl.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The results of a conformance run: the summary lines, the rates, and the failure list. */
final class ConformanceReport {

  private final List<CaseResult> results;

  ConformanceReport(List<CaseResult> results) {
    this.results = List.copyOf(results);
  }

  long count(CaseResult.Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }

  long historyRecorded() {
    return results.stream().filter(CaseResult::historyRecorded).count();
  }

  long historyMatched() {
    return results.stream().filter(CaseResult::historyMatched).count();
  }

  /** Passed over judged (passed + failed); 1 when nothing was judged. */
  double passRate() {
    long judged = count(CaseResult.Verdict.PASSED) + count(CaseResult.Verdict.FAILED);
    return judged == 0 ? 1.0 : (double) count(CaseResult.Verdict.PASSED) / judged;
  }

  /** Matching histories over recorded ones; 1 when no case has a recorded history. */
  double historyMatchRate() {
    return historyRecorded() == 0 ? 1.0 : (double) historyMatched() / historyRecorded();
  }

  /** {@code conformance: N passed, M failed, K skipped}. */
  String summaryLine() {
    return "conformance: " + count(CaseResult.Verdict.PASSED) + " passed, " + count(CaseResult.Verdict.FAILED)
        + " failed, " + count(CaseResult.Verdict.SKIPPED) + " skipped";
  }

  /** {@code history: X of Y cases with recorded history match}. */
  String historyLine() {
    return "history: " + historyMatched() + " of " + historyRecorded() + " cases with recorded history match";
  }

  /** Failure counts by category, largest first. */
  Map<String, Long> failuresByCategory() {
    Map<String, Long> counts = results.stream().filter(r -> r.verdict() == CaseResult.Verdict.FAILED)
        .collect(Collectors.groupingBy(CaseResult::category, TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** Writes the summary, the failures grouped by category, every failure and every history mismatch. */
  void write(Path file) {
    StringBuilder text = new StringBuilder()
        .append(summaryLine()).append('\n')
        .append(historyLine()).append('\n')
        .append(String.format(Locale.ROOT, "pass rate %.2f %%, history match %.2f %%%n",
            100 * passRate(), 100 * historyMatchRate()))
        .append("\n== failures by category ==\n");
    failuresByCategory().forEach((category, count) ->
        text.append(String.format(Locale.ROOT, "%5d  %s%n", count, category)));
    text.append("\n== failures ==\n");
    for (CaseResult r : results) {
      if (r.verdict() == CaseResult.Verdict.FAILED) {
        text.append(r.id()).append("  [").append(r.category()).append("]\n");
        r.differences().forEach(d -> text.append("    ").append(d).append('\n'));
      }
    }
    text.append("\n== history mismatches ==\n");
    for (CaseResult r : results) {
      if (r.historyRecorded() && !r.historyMatched()) {
        text.append(r.id()).append(": ").append(r.historyDifference()).append('\n');
      }
    }
    text.append("\n== skipped ==\n");
    for (CaseResult r : results) {
      if (r.verdict() == CaseResult.Verdict.SKIPPED) {
        text.append(r.id()).append(": ").append(r.category()).append('\n');
      }
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
