package io.stepstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a mocked Task state answers, invocation after invocation (each retry is an invocation), as a
 * Step Functions Local MockedResponse does: {@code fails("Busy", "try later").thenReturns("{}")}
 * fails the first attempt and succeeds the second. Once the sequence is used up its last answer
 * repeats, so {@code returns(json)} answers every invocation (each Map iteration, each retry).
 *
 * <p>Immutable: each {@code then...} gives a new sequence.
 */
public final class MockedResponse {

  /** One answer: a result (JSON) or an error with its cause. */
  record Answer(JsonNode result, String error, String cause) {}

  private final List<Answer> answers;

  private MockedResponse(List<Answer> answers) {
    this.answers = List.copyOf(answers);
  }

  /** The task returns this JSON text as its result. */
  public static MockedResponse returns(String json) {
    return returns(Json.parse(json));
  }

  /** The task returns this JSON value as its result. */
  public static MockedResponse returns(JsonNode result) {
    return new MockedResponse(List.of(new Answer(Objects.requireNonNull(result), null, null)));
  }

  /** The task fails with this ASL error name (matched by Retry and Catch) and cause. */
  public static MockedResponse fails(String error, String cause) {
    return new MockedResponse(List.of(new Answer(null, Objects.requireNonNull(error), Objects.requireNonNullElse(cause, ""))));
  }

  /** Then, at the next invocation, returns this JSON text. */
  public MockedResponse thenReturns(String json) {
    return then(returns(json));
  }

  /** Then, at the next invocation, fails with this error and cause. */
  public MockedResponse thenFails(String error, String cause) {
    return then(fails(error, cause));
  }

  /** This sequence followed by another. */
  public MockedResponse then(MockedResponse next) {
    List<Answer> all = new ArrayList<>(answers);
    all.addAll(next.answers);
    return new MockedResponse(all);
  }

  /** This sequence with its last answer given {@code times} times in all. */
  public MockedResponse times(int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    List<Answer> all = new ArrayList<>(answers);
    for (int i = 1; i < times; i++) {
      all.add(answers.get(answers.size() - 1));
    }
    return new MockedResponse(all);
  }

  /** The answer to the invocation with this index (0 for the first). */
  Answer answer(int invocation) {
    return answers.get(Math.min(invocation, answers.size() - 1));
  }

  /** A sequence of answers, for the MockConfigFile reader. */
  static MockedResponse of(List<Answer> answers) {
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("a mocked response needs at least one answer");
    }
    return new MockedResponse(answers);
  }
}
