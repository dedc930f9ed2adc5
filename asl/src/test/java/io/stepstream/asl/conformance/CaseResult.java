package io.stepstream.asl.conformance;

import java.util.List;

/**
 * What running one case gave.
 *
 * @param id the case id
 * @param verdict passed, failed or skipped
 * @param category a short label of why it failed, for grouping failures; empty when it passed
 * @param differences what differed, first the most telling; empty when it passed
 * @param historyRecorded whether the case has a recorded history to compare with
 * @param historyDifference the first history difference; null when the history matched or none was
 *     recorded
 */
record CaseResult(
    String id,
    Verdict verdict,
    String category,
    List<String> differences,
    boolean historyRecorded,
    String historyDifference) {

  enum Verdict { PASSED, FAILED, SKIPPED }

  boolean historyMatched() {
    return historyRecorded && historyDifference == null;
  }
}
