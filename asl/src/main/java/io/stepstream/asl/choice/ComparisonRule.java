package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.choice.ComparisonOperator.Relation;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.PathFailures;
import java.time.Instant;

/**
 * A comparison rule: the value at {@code Variable}, one operator, and a literal or path operand.
 *
 * <p>Literal operands are checked and pre-digested at compile time (the timestamp parsed, the
 * StringMatches pattern split), so an evaluation reads one or two paths and compares.
 */
final class ComparisonRule implements ChoiceRule {

  private final JsonPathExpression variable;
  private final ComparisonOperator operator;
  /** The literal operand, or null for a {@code ...Path} operator. */
  private final JsonNode literal;
  /** The operand path of a {@code ...Path} operator, or null. */
  private final JsonPathExpression operandPath;
  /** The compiled literal of StringMatches, else null. */
  private final WildcardPattern pattern;
  /** The parsed literal of a Timestamp operator, else null. */
  private final Instant timestamp;

  ComparisonRule(JsonPathExpression variable, ComparisonOperator operator, JsonNode literal,
      JsonPathExpression operandPath) {
    this.variable = variable;
    this.operator = operator;
    this.literal = literal;
    this.operandPath = operandPath;
    this.pattern = operator == ComparisonOperator.STRING_MATCHES ? WildcardPattern.compile(literal.textValue()) : null;
    this.timestamp = operator.kind() == ComparisonOperator.Kind.TIMESTAMP && literal != null
        ? Rfc3339.parse(literal.textValue())
        : null;
  }

  @Override
  public boolean matches(EvaluationScope scope) {
    JsonNode value = variable.read(scope);
    if (operator == ComparisonOperator.IS_PRESENT) {
      return (value != null) == literal.booleanValue();
    }
    if (value == null) {
      throw PathFailures.invalidPath(variable, scope);
    }
    if (operator.kind() == ComparisonOperator.Kind.TYPE_TEST) {
      return hasType(value) == literal.booleanValue();
    }
    JsonNode operand = literal;
    if (operandPath != null) {
      operand = operandPath.read(scope);
      if (operand == null) {
        throw PathFailures.invalidPath(operandPath, scope);
      }
    }
    return switch (operator.kind()) {
      case STRING -> value.isTextual() && operand.isTextual() && compareStrings(value.textValue(), operand.textValue());
      case NUMERIC -> value.isNumber() && operand.isNumber() && holds(operator.relation(), Numbers.compare(value, operand));
      case BOOLEAN -> value.isBoolean() && operand.isBoolean() && value.booleanValue() == operand.booleanValue();
      case TIMESTAMP -> compareTimestamps(value, operand);
      case TYPE_TEST -> throw new IllegalStateException("type tests are handled above");
    };
  }

  private boolean hasType(JsonNode value) {
    return switch (operator) {
      case IS_NULL -> value.isNull();
      case IS_NUMERIC -> value.isNumber();
      case IS_STRING -> value.isTextual();
      case IS_BOOLEAN -> value.isBoolean();
      case IS_TIMESTAMP -> value.isTextual() && Rfc3339.isTimestamp(value.textValue());
      default -> throw new IllegalStateException("not a type test: " + operator);
    };
  }

  private boolean compareStrings(String value, String operand) {
    if (pattern != null) {
      return pattern.matches(value);
    }
    return holds(operator.relation(), value.compareTo(operand));
  }

  private boolean compareTimestamps(JsonNode value, JsonNode operand) {
    if (!value.isTextual()) {
      return false;
    }
    Instant left = Rfc3339.parse(value.textValue());
    if (left == null) {
      return false;
    }
    Instant right = timestamp;
    if (right == null) {
      right = operand.isTextual() ? Rfc3339.parse(operand.textValue()) : null;
      if (right == null) {
        return false;
      }
    }
    return holds(operator.relation(), left.compareTo(right));
  }

  private static boolean holds(Relation relation, int comparison) {
    return switch (relation) {
      case EQ -> comparison == 0;
      case LT -> comparison < 0;
      case GT -> comparison > 0;
      case LE -> comparison <= 0;
      case GE -> comparison >= 0;
      case MATCHES, IS -> throw new IllegalStateException("not an ordering relation: " + relation);
    };
  }

  @Override
  public String toString() {
    return operator.fieldName() + "(" + variable + ", " + (operandPath != null ? operandPath : literal) + ")";
  }
}
