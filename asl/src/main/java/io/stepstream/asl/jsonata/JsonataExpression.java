package io.stepstream.asl.jsonata;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled JSONata expression (the text inside {@code {% ... %}}), evaluated with the bindings
 * of Step Functions: {@code $states} ({@code input}, {@code context}, and {@code result} and
 * {@code errorOutput} when the scope has them), every workflow variable as {@code $name}, and the
 * functions Step Functions adds ({@code $partition}, {@code $range}, {@code $hash}, {@code $random},
 * {@code $uuid}, {@code $parse}).
 *
 * <p>Compiled once, at definition load; immutable and safe to evaluate from several threads at
 * once. Evaluation is deterministic: {@code $random()} and {@code $uuid()} draw from
 * {@link EvaluationScope#random()}, and {@code $now()} and {@code $millis()} give the time the state
 * was entered ({@code $states.context.State.EnteredTime}), never the clock.
 */
public final class JsonataExpression {

  private static final Pattern STATES_MEMBER = Pattern.compile("\\$states(?![A-Za-z0-9_])(\\s*\\.\\s*([A-Za-z0-9_]+))?");
  private static final int INPUT = 1;
  private static final int CONTEXT = 2;
  private static final int RESULT = 4;
  private static final int ERROR_OUTPUT = 8;
  private static final int ALL = INPUT | CONTEXT | RESULT | ERROR_OUTPUT;

  private final String text;
  private final Jsonata jsonata;
  /** Referenced names that may be workflow variables (or, failing that, Step Functions functions). */
  private final String[] names;
  /** The Step Functions function of each name in {@link #names}, or null. */
  private final JFunction[] functions;
  /** Which $states members to build, as a bit set; 0 when $states is not referenced. */
  private final int statesMembers;
  private final boolean needsScope;

  private JsonataExpression(String text, Jsonata jsonata, Set<String> references) {
    this.text = text;
    this.jsonata = jsonata;
    List<String> candidates = new ArrayList<>();
    for (String name : references) {
      if (!name.equals("states")) {
        candidates.add(name);
      }
    }
    this.names = candidates.toArray(String[]::new);
    this.functions = new JFunction[names.length];
    boolean scopeFunctions = false;
    for (int i = 0; i < names.length; i++) {
      functions[i] = StepFunctionsFunctions.FUNCTIONS.get(names[i]);
      scopeFunctions |= functions[i] != null;
    }
    this.needsScope = scopeFunctions;
    this.statesMembers = references.contains("states") ? statesMembers(text) : 0;
  }

  /**
   * Compiles an expression.
   *
   * @param expression the JSONata text, without the {@code {% %}} delimiters
   * @throws IllegalArgumentException when the text is not a valid JSONata expression; the message
   *     gives the JSONata error code, the reason and the expression
   */
  public static JsonataExpression compile(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("The JSONata expression is empty");
    }
    Jsonata jsonata;
    try {
      jsonata = Jsonata.jsonata(expression);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("The JSONata expression '" + expression + "' is invalid: "
          + JsonataErrors.describe(e), e);
    }
    // We convert inputs ourselves, and need undefined (Java null) apart from null (NULL_VALUE).
    jsonata.setValidateInput(false);
    jsonata.setOutputConvertNulls(false);
    return new JsonataExpression(expression, jsonata, VariableReferences.of(expression));
  }

  /** The expression text, as compiled (what AWS quotes in error messages). */
  public String text() {
    return text;
  }

  /**
   * Evaluates the expression.
   *
   * @return the value, or null when the expression returns nothing (undefined)
   * @throws StatesException {@code States.QueryEvaluationError} when evaluation fails, or when the
   *     value has no JSON form (a function); the cause does not name a field
   */
  public JsonNode evaluate(EvaluationScope scope) {
    return evaluate(scope, null);
  }

  /**
   * Evaluates the expression for a field of a state.
   *
   * @param field the field path for messages and the error location ("Output", "Assign/result"), or null
   * @return the value, or null when the expression returns nothing (undefined)
   * @throws StatesException {@code States.QueryEvaluationError} with AWS's cause when evaluation fails
   */
  public JsonNode evaluate(EvaluationScope scope, String field) {
    Object result = evaluateRaw(scope, field);
    try {
      return JsonataValues.toJson(result);
    } catch (JsonataValues.UnsupportedResultException e) {
      throw JsonataErrors.unsupported(text, field);
    }
  }

  private Object evaluateRaw(EvaluationScope scope, String field) {
    Frame frame = new Frame(null);
    bind(frame, scope);
    EvaluationScope outer = null;
    if (needsScope) {
      outer = StepFunctionsFunctions.CURRENT_SCOPE.get();
      StepFunctionsFunctions.CURRENT_SCOPE.set(scope);
    }
    try {
      return jsonata.evaluate(null, frame);
    } catch (StackOverflowError e) {
      throw field == null ? withoutField(JsonataErrors.stackOverflow(text, "")) : JsonataErrors.stackOverflow(text, field);
    } catch (RuntimeException e) {
      throw field == null ? withoutField(JsonataErrors.failed(text, "", e)) : JsonataErrors.failed(text, field, e);
    } finally {
      if (needsScope) {
        if (outer == null) {
          StepFunctionsFunctions.CURRENT_SCOPE.remove();
        } else {
          StepFunctionsFunctions.CURRENT_SCOPE.set(outer);
        }
      }
    }
  }

  private void bind(Frame frame, EvaluationScope scope) {
    if (statesMembers != 0) {
      frame.bind("states", states(scope));
    }
    for (int i = 0; i < names.length; i++) {
      // Variables shadow the Step Functions functions, as a user's binding shadows a built-in.
      JsonNode value = scope.variables() == null ? null : scope.variables().lookup(names[i]);
      if (value != null) {
        frame.bind(names[i], JsonataValues.toJava(value));
      } else if (functions[i] != null) {
        frame.bind(names[i], functions[i]);
      }
    }
  }

  private Map<String, Object> states(EvaluationScope scope) {
    Map<String, Object> states = new LinkedHashMap<>(8);
    if ((statesMembers & INPUT) != 0) {
      states.put("input", JsonataValues.toJava(scope.input()));
    }
    if ((statesMembers & CONTEXT) != 0) {
      states.put("context", JsonataValues.toJava(scope.context()));
    }
    if ((statesMembers & RESULT) != 0 && scope.result() != null) {
      states.put("result", JsonataValues.toJava(scope.result()));
    }
    if ((statesMembers & ERROR_OUTPUT) != 0 && scope.errorOutput() != null) {
      states.put("errorOutput", JsonataValues.toJava(scope.errorOutput()));
    }
    return states;
  }

  /** The members of $states the text reads; all of them when it uses $states any other way. */
  private static int statesMembers(String text) {
    int members = 0;
    Matcher m = STATES_MEMBER.matcher(text);
    while (m.find()) {
      String member = m.group(2);
      members |= member == null ? ALL : switch (member) {
        case "input" -> INPUT;
        case "context" -> CONTEXT;
        case "result" -> RESULT;
        case "errorOutput" -> ERROR_OUTPUT;
        default -> 0;
      };
    }
    return members == 0 ? ALL : members;
  }

  private static StatesException withoutField(StatesException e) {
    String cause = e.cause().replace(" specified for the field ''", "");
    return StatesException.queryEvaluation(cause, null);
  }

  @Override
  public String toString() {
    return text;
  }
}
