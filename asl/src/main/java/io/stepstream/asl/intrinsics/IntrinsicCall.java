package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesException;
import java.util.List;

/**
 * A compiled intrinsic call. Immutable and thread-safe; evaluation never re-parses text.
 */
public final class IntrinsicCall {
  private final StatesFunction function;
  private final Argument[] arguments;
  private final String text;
  /** For States.Format with a literal template: the template compiled at load, else null. */
  private final FormatTemplate literalTemplate;

  IntrinsicCall(StatesFunction function, List<Argument> arguments, String text) {
    this.function = function;
    this.arguments = arguments.toArray(new Argument[0]);
    this.text = text;
    this.literalTemplate = function == StatesFunction.FORMAT && !arguments.isEmpty()
        && arguments.get(0) instanceof Argument.Literal literal && literal.raw() != null
        ? FormatTemplate.compile(literal.raw())
        : null;
  }

  /** The function's name, such as {@code States.Format}. */
  public String functionName() {
    return function.functionName();
  }

  /** The number of arguments written in the call. */
  public int argumentCount() {
    return arguments.length;
  }

  /**
   * Evaluates the call.
   *
   * @throws StatesException States.Runtime with AWS's cause when a path argument selects nothing
   *     ("The JsonPath argument for the field ... could not be found in the input ...") or the
   *     arguments do not fit the function ("Invalid arguments in States.X")
   */
  public JsonNode evaluate(EvaluationScope scope) {
    JsonNode[] values = new JsonNode[arguments.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = arguments[i].evaluate(scope);
    }
    return function.apply(new Invocation(this, values, scope));
  }

  StatesFunction function() {
    return function;
  }

  FormatTemplate literalTemplate() {
    return literalTemplate;
  }

  @Override
  public String toString() {
    return text;
  }
}
