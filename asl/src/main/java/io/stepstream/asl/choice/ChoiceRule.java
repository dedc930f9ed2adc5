package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesException;

/**
 * One compiled rule of a JSONPath Choice state: a comparison ({@code "Variable"} plus one operator) or
 * a Boolean combination of rules ({@code And}, {@code Or}, {@code Not}).
 *
 * <p>Rules are compiled once when a definition is loaded and are immutable and thread-safe; {@link
 * #matches} only reads the scope. The semantics are AWS's: a Variable of another type than the
 * operator compares (a string under {@code NumericEquals}) makes the comparison false, not an error;
 * {@code And} and {@code Or} stop at the first rule that decides them.
 */
public sealed interface ChoiceRule permits ChoiceRule.And, ChoiceRule.Or, ChoiceRule.Not, ComparisonRule {

  /**
   * Evaluates the rule against a state's effective input (after its InputPath), its context object and
   * its visible variables.
   *
   * @throws StatesException States.Runtime when a path of the rule selects nothing (except under
   *     {@code IsPresent}, which is then false); the cause is AWS's, e.g. {@code Invalid path '$.a' :
   *     No results for path: $['a']}, without the "An error occurred while executing the state" prefix
   *     the state handler adds
   */
  boolean matches(EvaluationScope scope);

  /**
   * Compiles one element of a Choices array. Its {@code Next}, {@code Assign}, {@code Output} and
   * {@code Comment} fields are not part of the rule and are ignored, at any depth.
   *
   * @throws IllegalArgumentException with a message naming the place in the rule, when the rule is not
   *     an object, has no operator or more than one, has an operand of the wrong type (a number for
   *     {@code StringEquals}, a non-RFC 3339 string for {@code TimestampEquals}), lacks a
   *     {@code Variable} or has an invalid or non-reference path, or has an unknown field
   */
  static ChoiceRule compile(JsonNode rule) {
    return ChoiceRuleParser.parse(rule, "");
  }

  /** True when every rule matches; evaluated in order, stopping at the first that does not. */
  final class And implements ChoiceRule {
    private final ChoiceRule[] rules;

    And(ChoiceRule[] rules) {
      this.rules = rules;
    }

    @Override
    public boolean matches(EvaluationScope scope) {
      for (ChoiceRule rule : rules) {
        if (!rule.matches(scope)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return "And" + java.util.Arrays.toString(rules);
    }
  }

  /** True when any rule matches; evaluated in order, stopping at the first that does. */
  final class Or implements ChoiceRule {
    private final ChoiceRule[] rules;

    Or(ChoiceRule[] rules) {
      this.rules = rules;
    }

    @Override
    public boolean matches(EvaluationScope scope) {
      for (ChoiceRule rule : rules) {
        if (rule.matches(scope)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "Or" + java.util.Arrays.toString(rules);
    }
  }

  /** True when the rule does not match (an error inside it still propagates). */
  final class Not implements ChoiceRule {
    private final ChoiceRule rule;

    Not(ChoiceRule rule) {
      this.rule = rule;
    }

    @Override
    public boolean matches(EvaluationScope scope) {
      return !rule.matches(scope);
    }

    @Override
    public String toString() {
      return "Not[" + rule + "]";
    }
  }
}
