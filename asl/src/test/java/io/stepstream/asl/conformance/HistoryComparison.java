package io.stepstream.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compares the AWS-visible event types of our history with a recorded history.
 *
 * <p>Most recordings keep AWS's order and are compared type by type. The recordings of Parallel states
 * are not raw: LocalStack's {@code SfnNoneRecursiveParallelTransformer} rewrote them before the snapshot
 * was stored, because branches run concurrently and AWS interleaves their events differently from run
 * to run. That transformer walks the events; after each {@code ParallelStateStarted} it masks the id of
 * every following event as {@code [0]} (previousEventId 0) and collects it, and at every
 * {@code ParallelState{Succeeded,Failed,Aborted,Exited}} it replaces the slice from the collection's
 * start up to that event with the collection sorted by its JSON text. Two side effects are visible in
 * the corpus: the events between branch starts and ends come out sorted rather than in AWS order, and
 * because the slice is replaced again at {@code ParallelStateExited} with the same (shorter) collection,
 * the {@code ParallelStateSucceeded} event in between is dropped (in nested Parallels, inner ends too).
 *
 * <p>So, where a recording has masked ids, we apply the same rewrite to our history and then compare:
 * unmasked events position by position, and each run of masked events as a multiset of types. The
 * multiset is the principled part: the order inside a run is AWS's arbitrary interleaving of concurrent
 * branches, re-sorted by a JSON text (with ids and timestamps in it) that we cannot and should not
 * reproduce; which events happened, and where the run sits, we can and do check.
 */
public final class HistoryComparison {

  private static final Set<String> PARALLEL_ENDS = Set.of(
      "ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed");

  private HistoryComparison() {}

  /** One event as compared: its type, and whether its id is masked. */
  record Entry(String type, boolean masked) {

    @Override
    public String toString() {
      return masked ? "[" + type + "]" : type;
    }
  }

  /**
   * The first difference between the recorded history and ours, or null when they match.
   *
   * @param recorded the case's {@code history} array (non-empty)
   * @param ours the AWS-visible types of our events, in order
   */
  public static String difference(JsonNode recorded, List<String> ours) {
    List<Entry> expected = new ArrayList<>();
    boolean anyMasked = false;
    for (JsonNode event : recorded) {
      boolean masked = !event.path("id").isIntegralNumber();
      anyMasked |= masked;
      expected.add(new Entry(event.get("type").textValue(), masked));
    }
    List<Entry> actual = new ArrayList<>();
    for (String type : ours) {
      actual.add(new Entry(type, false));
    }
    if (anyMasked) {
      actual = maskParallelRuns(actual);
    }
    return compare(expected, actual);
  }

  /**
   * The first event whose id or previousEventId differs from the recording, or null when all agree.
   * Recordings with masked ids (Parallel sub-histories) say nothing about ids and always agree.
   *
   * @param ours our AWS-visible events, in order (the types already match)
   */
  public static String idDifference(JsonNode recorded, List<io.stepstream.proto.HistoryEvent> ours) {
    for (JsonNode event : recorded) {
      if (!event.path("id").isIntegralNumber() || !event.path("previousEventId").isIntegralNumber()) {
        return null;
      }
    }
    for (int i = 0; i < recorded.size() && i < ours.size(); i++) {
      JsonNode expected = recorded.get(i);
      io.stepstream.proto.HistoryEvent actual = ours.get(i);
      if (expected.get("id").longValue() != actual.getId()
          || expected.get("previousEventId").longValue() != actual.getPreviousEventId()) {
        return "event " + (i + 1) + " (" + actual.getType() + "): expected id " + expected.get("id").longValue()
            + " after " + expected.get("previousEventId").longValue() + ", got id " + actual.getId() + " after "
            + actual.getPreviousEventId();
      }
    }
    return null;
  }

  /** LocalStack's rewrite of Parallel sub-histories (see the class comment), minus the sort. */
  static List<Entry> maskParallelRuns(List<Entry> events) {
    List<Entry> result = new ArrayList<>(events);
    List<Entry> collected = new ArrayList<>();
    int start = -1;
    boolean collecting = false;
    // The transformer's loop keeps counting positions while it replaces slices of the list it walks;
    // an index over the live list reproduces exactly which events survive.
    for (int i = 0; i < result.size(); i++) {
      Entry event = result.get(i);
      if (PARALLEL_ENDS.contains(event.type())) {
        if (start >= 0) {
          List<Entry> slice = result.subList(start, i);
          slice.clear();
          slice.addAll(collected);
        }
        collecting = false;
      } else if (event.type().equals("ParallelStateStarted")) {
        collecting = true;
        collected = new ArrayList<>();
        start = i + 1;
      } else if (collecting) {
        Entry masked = new Entry(event.type(), true);
        result.set(i, masked);
        collected.add(masked);
      }
    }
    return result;
  }

  private static String compare(List<Entry> expected, List<Entry> actual) {
    int i = 0;
    while (i < expected.size() && i < actual.size()) {
      Entry e = expected.get(i);
      Entry a = actual.get(i);
      if (e.masked() != a.masked()) {
        return describe(i, expected, actual);
      }
      if (!e.masked()) {
        if (!e.type().equals(a.type())) {
          return describe(i, expected, actual);
        }
        i++;
        continue;
      }
      int end = i;
      while (end < expected.size() && expected.get(end).masked()) {
        end++;
      }
      if (end > actual.size() || !sortedTypes(expected.subList(i, end)).equals(sortedTypes(actual.subList(i, end)))) {
        return "parallel events " + i + ".." + (end - 1) + " differ as a multiset: expected "
            + sortedTypes(expected.subList(i, end)) + ", got "
            + sortedTypes(actual.subList(i, Math.min(end, actual.size())));
      }
      i = end;
    }
    return expected.size() == actual.size() ? null : describe(i, expected, actual);
  }

  private static List<String> sortedTypes(List<Entry> entries) {
    return entries.stream().map(Entry::type).sorted().toList();
  }

  private static String describe(int at, List<Entry> expected, List<Entry> actual) {
    return "event " + at + ": expected " + window(expected, at) + ", got " + window(actual, at)
        + " (" + expected.size() + " vs " + actual.size() + " events)";
  }

  /** A few events around a position, enough to see the difference. */
  private static String window(List<Entry> entries, int at) {
    int from = Math.max(0, at - 1);
    int to = Math.min(entries.size(), at + 3);
    return (from > 0 ? "..." : "") + entries.subList(from, to) + (to < entries.size() ? "..." : "");
  }
}
