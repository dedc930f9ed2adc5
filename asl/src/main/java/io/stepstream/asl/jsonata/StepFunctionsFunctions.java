package io.stepstream.asl.jsonata;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The functions Step Functions adds to JSONata ({@code $partition}, {@code $range}, {@code $hash},
 * {@code $random}, {@code $uuid}, {@code $parse}), and deterministic replacements for the library's
 * clock and randomness ({@code $now}, {@code $millis}, {@code $random}).
 *
 * <p>The functions are shared, immutable instances; the ones that need the evaluation scope read it
 * from {@link #CURRENT_SCOPE}, which {@link JsonataExpression#evaluate} sets around one evaluation on
 * the calling thread. That keeps an evaluation allocation-free for the functions it does not call.
 */
final class StepFunctionsFunctions {

  /** The most items $range builds; bounds memory the way the library's own range operator does. */
  static final int MAX_RANGE_ITEMS = 1_000_000;

  static final ThreadLocal<EvaluationScope> CURRENT_SCOPE = new ThreadLocal<>();

  /** By name without the leading {@code $}. */
  static final Map<String, JFunction> FUNCTIONS = Map.of(
      "partition", new JFunction(StepFunctionsFunctions::partition, "<an:a>"),
      "range", new JFunction(StepFunctionsFunctions::range, "<nnn:a<n>>"),
      "hash", new JFunction(StepFunctionsFunctions::hash, "<ss:s>"),
      "random", new JFunction(StepFunctionsFunctions::random, "<n?:n>"),
      "uuid", new JFunction(StepFunctionsFunctions::uuid, "<:s>"),
      "parse", new JFunction(StepFunctionsFunctions::parse, "<s:x>"),
      "now", new JFunction(StepFunctionsFunctions::now, "<s?s?:s>"),
      "millis", new JFunction(StepFunctionsFunctions::millis, "<:n>"));

  private static final List<String> HASH_ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private StepFunctionsFunctions() {}

  private static Object partition(Object input, List<?> args) {
    List<?> array = (List<?>) arg(args, 0);
    Number size = (Number) arg(args, 1);
    if (array == null || size == null) {
      return null;
    }
    double chunk = size.doubleValue();
    if (chunk != Math.rint(chunk) || chunk <= 0) {
      throw new FunctionException("The chunk size of $partition must be a positive integer, but was: "
          + Json.write(JsonataValues.number(size)));
    }
    int step = chunk >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) chunk;
    List<Object> result = new ArrayList<>((array.size() + step - 1) / step);
    for (int from = 0; from < array.size(); from += step) {
      result.add(new ArrayList<>(array.subList(from, (int) Math.min((long) from + step, array.size()))));
    }
    return result;
  }

  private static Object range(Object input, List<?> args) {
    Number start = (Number) arg(args, 0);
    Number end = (Number) arg(args, 1);
    Number step = (Number) arg(args, 2);
    if (start == null || end == null || step == null) {
      return null;
    }
    double first = start.doubleValue();
    double last = end.doubleValue();
    double increment = step.doubleValue();
    if (increment == 0) {
      throw new FunctionException("The step of $range must not be 0");
    }
    double count = Math.floor((last - first) / increment) + 1;
    if (count > MAX_RANGE_ITEMS) {
      throw new FunctionException("The size of the array built by $range must not exceed "
          + MAX_RANGE_ITEMS + ". Attempted to build " + Json.write(JsonataValues.number(count)) + " items.");
    }
    // A sequence, not a plain array: like every JSONata sequence, one item collapses to the item
    // itself, as AWS does ($range(1, 9, 9) is 1).
    List<Object> result = Utils.createSequence();
    for (int i = 0; i < count; i++) {
      result.add(Utils.convertNumber(first + i * increment));
    }
    return result;
  }

  private static Object hash(Object input, List<?> args) {
    String data = (String) arg(args, 0);
    String algorithm = (String) arg(args, 1);
    if (data == null || algorithm == null) {
      return null;
    }
    if (!HASH_ALGORITHMS.contains(algorithm)) {
      throw new FunctionException("The hash algorithm '" + algorithm + "' is not supported; use one of "
          + String.join(", ", HASH_ALGORITHMS));
    }
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      // Every JDK provides these five algorithms.
      throw new IllegalStateException(e);
    }
  }

  private static Object random(Object input, List<?> args) {
    Number seed = (Number) arg(args, 0);
    if (seed != null) {
      // A seeded generator: the same seed gives the same number, in any execution, as on AWS.
      double d = seed.doubleValue();
      long bits = d == Math.rint(d) ? seed.longValue() : Double.doubleToLongBits(d);
      return new SplittableRandom(bits).nextDouble();
    }
    return scopeRandom().nextDouble();
  }

  private static Object uuid(Object input, List<?> args) {
    RandomGenerator random = scopeRandom();
    long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  private static Object parse(Object input, List<?> args) {
    String text = (String) arg(args, 0);
    if (text == null) {
      return null;
    }
    try {
      return JsonataValues.toJava(Json.parse(text));
    } catch (Json.InvalidJsonException e) {
      throw new FunctionException("The argument of $parse is not valid JSON: " + e.getMessage());
    }
  }

  private static Object now(Object input, List<?> args) {
    return Functions.dateTimeFromMillis(scopeMillis(), (String) arg(args, 0), (String) arg(args, 1));
  }

  private static Object millis(Object input, List<?> args) {
    return scopeMillis();
  }

  /**
   * The instant the state was entered, from the context object: $now() and $millis() must not read
   * the clock (replays would differ), and JSONata requires one instant for a whole evaluation.
   */
  private static long scopeMillis() {
    EvaluationScope scope = CURRENT_SCOPE.get();
    JsonNode context = scope == null ? null : scope.context();
    if (context != null) {
      for (JsonNode time : List.of(context.path("State").path("EnteredTime"),
          context.path("Execution").path("StartTime"))) {
        if (time.isTextual()) {
          try {
            return OffsetDateTime.parse(time.textValue()).toInstant().toEpochMilli();
          } catch (DateTimeParseException e) {
            // try the next one
          }
        }
      }
    }
    throw new FunctionException("$now() and $millis() need the time the state was entered "
        + "($states.context.State.EnteredTime)");
  }

  private static RandomGenerator scopeRandom() {
    EvaluationScope scope = CURRENT_SCOPE.get();
    if (scope == null || scope.random() == null) {
      throw new FunctionException("no deterministic random source in the evaluation scope");
    }
    return scope.random();
  }

  private static Object arg(List<?> args, int index) {
    if (args == null || index >= args.size()) {
      return null;
    }
    Object value = args.get(index);
    return value == Jsonata.NULL_VALUE ? null : value;
  }

  /** An error raised by one of these functions; its message is the whole error text. */
  static final class FunctionException extends RuntimeException {
    FunctionException(String message) {
      super(message, null, false, false);
    }
  }
}
