package io.stepstream.asl.choice;

import java.util.HashMap;
import java.util.Map;

/**
 * The comparison operators of a JSONPath Choice rule, with what they compare and how.
 *
 * <p>Each value-comparing operator has a {@code ...Path} twin whose operand is a reference path
 * instead of a literal; the type tests ({@code IsNull}, ...) have none. Immutable and thread-safe.
 */
public enum ComparisonOperator {
  STRING_EQUALS("StringEquals", Kind.STRING, Relation.EQ, false),
  STRING_EQUALS_PATH("StringEqualsPath", Kind.STRING, Relation.EQ, true),
  STRING_LESS_THAN("StringLessThan", Kind.STRING, Relation.LT, false),
  STRING_LESS_THAN_PATH("StringLessThanPath", Kind.STRING, Relation.LT, true),
  STRING_GREATER_THAN("StringGreaterThan", Kind.STRING, Relation.GT, false),
  STRING_GREATER_THAN_PATH("StringGreaterThanPath", Kind.STRING, Relation.GT, true),
  STRING_LESS_THAN_EQUALS("StringLessThanEquals", Kind.STRING, Relation.LE, false),
  STRING_LESS_THAN_EQUALS_PATH("StringLessThanEqualsPath", Kind.STRING, Relation.LE, true),
  STRING_GREATER_THAN_EQUALS("StringGreaterThanEquals", Kind.STRING, Relation.GE, false),
  STRING_GREATER_THAN_EQUALS_PATH("StringGreaterThanEqualsPath", Kind.STRING, Relation.GE, true),
  STRING_MATCHES("StringMatches", Kind.STRING, Relation.MATCHES, false),

  NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC, Relation.EQ, false),
  NUMERIC_EQUALS_PATH("NumericEqualsPath", Kind.NUMERIC, Relation.EQ, true),
  NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC, Relation.LT, false),
  NUMERIC_LESS_THAN_PATH("NumericLessThanPath", Kind.NUMERIC, Relation.LT, true),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC, Relation.GT, false),
  NUMERIC_GREATER_THAN_PATH("NumericGreaterThanPath", Kind.NUMERIC, Relation.GT, true),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC, Relation.LE, false),
  NUMERIC_LESS_THAN_EQUALS_PATH("NumericLessThanEqualsPath", Kind.NUMERIC, Relation.LE, true),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC, Relation.GE, false),
  NUMERIC_GREATER_THAN_EQUALS_PATH("NumericGreaterThanEqualsPath", Kind.NUMERIC, Relation.GE, true),

  BOOLEAN_EQUALS("BooleanEquals", Kind.BOOLEAN, Relation.EQ, false),
  BOOLEAN_EQUALS_PATH("BooleanEqualsPath", Kind.BOOLEAN, Relation.EQ, true),

  TIMESTAMP_EQUALS("TimestampEquals", Kind.TIMESTAMP, Relation.EQ, false),
  TIMESTAMP_EQUALS_PATH("TimestampEqualsPath", Kind.TIMESTAMP, Relation.EQ, true),
  TIMESTAMP_LESS_THAN("TimestampLessThan", Kind.TIMESTAMP, Relation.LT, false),
  TIMESTAMP_LESS_THAN_PATH("TimestampLessThanPath", Kind.TIMESTAMP, Relation.LT, true),
  TIMESTAMP_GREATER_THAN("TimestampGreaterThan", Kind.TIMESTAMP, Relation.GT, false),
  TIMESTAMP_GREATER_THAN_PATH("TimestampGreaterThanPath", Kind.TIMESTAMP, Relation.GT, true),
  TIMESTAMP_LESS_THAN_EQUALS("TimestampLessThanEquals", Kind.TIMESTAMP, Relation.LE, false),
  TIMESTAMP_LESS_THAN_EQUALS_PATH("TimestampLessThanEqualsPath", Kind.TIMESTAMP, Relation.LE, true),
  TIMESTAMP_GREATER_THAN_EQUALS("TimestampGreaterThanEquals", Kind.TIMESTAMP, Relation.GE, false),
  TIMESTAMP_GREATER_THAN_EQUALS_PATH("TimestampGreaterThanEqualsPath", Kind.TIMESTAMP, Relation.GE, true),

  IS_NULL("IsNull", Kind.TYPE_TEST, Relation.IS, false),
  IS_PRESENT("IsPresent", Kind.TYPE_TEST, Relation.IS, false),
  IS_NUMERIC("IsNumeric", Kind.TYPE_TEST, Relation.IS, false),
  IS_STRING("IsString", Kind.TYPE_TEST, Relation.IS, false),
  IS_BOOLEAN("IsBoolean", Kind.TYPE_TEST, Relation.IS, false),
  IS_TIMESTAMP("IsTimestamp", Kind.TYPE_TEST, Relation.IS, false);

  /** What an operator compares; a Variable of another type makes the comparison false. */
  public enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, TYPE_TEST }

  /** How the Variable relates to the operand ({@code IS} for type tests, whose operand is a boolean). */
  public enum Relation { EQ, LT, GT, LE, GE, MATCHES, IS }

  private static final Map<String, ComparisonOperator> BY_NAME = new HashMap<>();

  static {
    for (ComparisonOperator operator : values()) {
      BY_NAME.put(operator.fieldName, operator);
    }
  }

  private final String fieldName;
  private final Kind kind;
  private final Relation relation;
  private final boolean pathOperand;

  ComparisonOperator(String fieldName, Kind kind, Relation relation, boolean pathOperand) {
    this.fieldName = fieldName;
    this.kind = kind;
    this.relation = relation;
    this.pathOperand = pathOperand;
  }

  /** The operator for a rule field name ({@code "NumericLessThanPath"}), or null when there is none. */
  public static ComparisonOperator byFieldName(String fieldName) {
    return BY_NAME.get(fieldName);
  }

  /** The field name as written in ASL, e.g. {@code "StringEqualsPath"}. */
  public String fieldName() {
    return fieldName;
  }

  /** The type of value the operator compares (or {@code TYPE_TEST} for the {@code Is...} operators). */
  public Kind kind() {
    return kind;
  }

  /** How the Variable must relate to the operand for the comparison to be true. */
  public Relation relation() {
    return relation;
  }

  /** True for the {@code ...Path} operators, whose operand is a reference path read at evaluation. */
  public boolean hasPathOperand() {
    return pathOperand;
  }

  @Override
  public String toString() {
    return fieldName;
  }
}
