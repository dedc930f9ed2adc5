package io.stepstream.loadtest.api;

import io.stepstream.loadtest.Workflows;

/**
 * The workflows {@code loadtest} can drive through the API: a definition, an input, a title for the
 * report, and the Task states each execution runs on workers (for tasks/s).
 */
enum LoadWorkflow {

  /** {@link Workflows#PASS_CHOICE_JSONPATH}: five states the interpreter runs alone. */
  PASS_CHOICE("pass-choice", Workflows.PASS_CHOICE_JSONPATH.definition(), Workflows.PASS_CHOICE_JSONPATH.input(), 0,
      "5-state Pass/Choice"),

  /**
   * Three Task states, each a Lambda function task of {@code greet}, which a worker serves (the example
   * handlers of {@code stepstream dev --example-handlers}): each task is dispatched on the tasks topic,
   * started and answered by a worker, and its result goes back through the coordinator.
   */
  THREE_TASKS("three-tasks", """
      {"Comment": "Three Lambda function tasks served by a worker",
       "StartAt": "First",
       "States": {
         "First": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:greet", "Next": "Second"},
         "Second": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:greet", "Next": "Third"},
         "Third": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:greet", "End": true}}}""",
      "{\"name\":\"Ada\"}", 3, "3 Task states on workers (greet)");

  final String option;
  final String definition;
  final String input;
  final int tasks;
  final String title;

  LoadWorkflow(String option, String definition, String input, int tasks, String title) {
    this.option = option;
    this.definition = definition;
    this.input = input;
    this.tasks = tasks;
    this.title = title;
  }

  static LoadWorkflow of(String option) {
    for (LoadWorkflow workflow : values()) {
      if (workflow.option.equals(option)) {
        return workflow;
      }
    }
    throw new IllegalArgumentException("workflow must be pass-choice or three-tasks: " + option);
  }
}
