package io.stepstream.loadtest;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.StartExecution;

/**
 * The workflows the benchmarks run, each a definition plus a realistic input, and the one way to
 * start them. Kept apart from the JMH class so a plain test can prove every workflow still
 * succeeds without running JMH.
 */
public enum Workflows {

  /**
   * Five states executed (Pass with Parameters, Choice on a number, Pass with ResultPath, Choice on
   * a string, Succeed); the sixth, the Default branch, is never taken with {@link #ORDER}.
   */
  PASS_CHOICE_JSONPATH("""
      {"Comment": "Order triage: five immediate states, JSONPath",
       "StartAt": "Normalize",
       "States": {
         "Normalize": {"Type": "Pass",
           "Parameters": {"orderId.$": "$.order.id", "total.$": "$.order.total", "currency.$": "$.order.currency",
                          "items.$": "$.order.items", "customer.$": "$.customer"},
           "Next": "IsLarge"},
         "IsLarge": {"Type": "Choice",
           "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "ApplyDiscount"}],
           "Default": "Standard"},
         "ApplyDiscount": {"Type": "Pass", "Result": {"percent": 10, "code": "BIG10"}, "ResultPath": "$.discount",
           "Next": "IsGold"},
         "IsGold": {"Type": "Choice",
           "Choices": [{"Variable": "$.customer.tier", "StringEquals": "gold", "Next": "Done"}],
           "Default": "Standard"},
         "Standard": {"Type": "Pass", "End": true},
         "Done": {"Type": "Succeed"}}}""", Workflows.ORDER),

  /** {@link #PASS_CHOICE_JSONPATH} written in JSONata: Output templates and Conditions. */
  PASS_CHOICE_JSONATA("""
      {"Comment": "Order triage: five immediate states, JSONata",
       "QueryLanguage": "JSONata",
       "StartAt": "Normalize",
       "States": {
         "Normalize": {"Type": "Pass",
           "Output": {"orderId": "{% $states.input.order.id %}", "total": "{% $states.input.order.total %}",
                      "currency": "{% $states.input.order.currency %}", "items": "{% $states.input.order.items %}",
                      "customer": "{% $states.input.customer %}"},
           "Next": "IsLarge"},
         "IsLarge": {"Type": "Choice",
           "Choices": [{"Condition": "{% $states.input.total > 100 %}", "Next": "ApplyDiscount"}],
           "Default": "Standard"},
         "ApplyDiscount": {"Type": "Pass",
           "Output": "{% $merge([$states.input, {'discount': {'percent': 10, 'code': 'BIG10'}}]) %}",
           "Next": "IsGold"},
         "IsGold": {"Type": "Choice",
           "Choices": [{"Condition": "{% $states.input.customer.tier = 'gold' %}", "Next": "Done"}],
           "Default": "Standard"},
         "Standard": {"Type": "Pass", "End": true},
         "Done": {"Type": "Succeed"}}}""", Workflows.ORDER),

  /** An inline Map over 100 items whose item processor is a single Pass state. */
  MAP_100_PASS("""
      {"Comment": "Inline Map of 100 items, one Pass each",
       "StartAt": "EachItem",
       "States": {
         "EachItem": {"Type": "Map", "ItemsPath": "$.items",
           "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"},
             "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
           "End": true}}}""", items(100));

  /** About 200 bytes: an order with two lines and a customer, as a small API would send. */
  static final String ORDER = """
      {"order":{"id":"ord-20240101-0042","total":149.5,"currency":"EUR",\
      "items":[{"sku":"A-100","qty":2},{"sku":"B-7","qty":1}]},\
      "customer":{"id":"c-981","tier":"gold","email":"ada@example.com"}}""";

  private static final long START_TIME_MS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z

  private final String definitionJson;
  private final String input;

  Workflows(String definitionJson, String input) {
    this.definitionJson = definitionJson;
    this.input = input;
  }

  /** Compiles the definition; done once per benchmark trial, as CreateStateMachine does. */
  public StateMachineDefinition compile() {
    return DefinitionCompiler.compile(definitionJson);
  }

  /** The definition, ASL JSON text, as CreateStateMachine takes it. */
  public String definition() {
    return definitionJson;
  }

  /** The execution input, a JSON document. */
  public String input() {
    return input;
  }

  /** A StartExecution command for this workflow's input; the interpreter is pure, so it can be reused. */
  public Command startCommand() {
    return Command.newBuilder()
        .setTimeMs(START_TIME_MS)
        .setExecutionArn("arn:aws:states:us-east-1:123456789012:execution:bench-" + name() + ":run-1")
        .setStartExecution(StartExecution.newBuilder()
            .setName("run-1")
            .setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:bench-" + name())
            .setInput(input)
            .setRoleArn("arn:aws:iam::123456789012:role/bench")
            .setSeed(42))
        .build();
  }

  /**
   * Runs one execution from scratch and fails unless it SUCCEEDED, so a broken interpreter cannot
   * produce a (fast) figure.
   *
   * @return the step of the start command
   * @throws IllegalStateException when the execution was rejected or did not succeed
   */
  public Step runOnceChecked(Interpreter interpreter, StateMachineDefinition definition) {
    return requireSucceeded(name(), interpreter.process(ExecutionState.getDefaultInstance(), startCommand(), definition));
  }

  static Step requireSucceeded(String workflow, Step step) {
    if (step.rejected() || step.state().getStatus() != ExecutionStatus.SUCCEEDED) {
      throw new IllegalStateException(workflow + " did not succeed: status " + step.state().getStatus()
          + ", rejection " + step.rejection() + ", last event "
          + (step.events().isEmpty() ? "none" : step.events().get(step.events().size() - 1)));
    }
    return step;
  }

  /** A fresh interpreter with the default limits, as the server uses. */
  public static Interpreter interpreter() {
    return new Interpreter(Limits.DEFAULT);
  }

  private static String items(int count) {
    StringBuilder json = new StringBuilder("{\"items\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"id\":").append(i).append(",\"sku\":\"SKU-").append(i).append("\",\"qty\":").append(i % 5 + 1)
          .append('}');
    }
    return json.append("]}").toString();
  }
}
