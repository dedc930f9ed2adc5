package io.stepstream.worker.internals;

/** What running a task came to, and so what the worker reports. */
public sealed interface Outcome {

  /** The task succeeded with this result (JSON text). */
  record Succeeded(String output) implements Outcome {}

  /** The task failed. */
  record Failed(String error, String cause) implements Outcome {}

  /** Nothing to report: the result comes another way (a task token) or no longer matters. */
  record Silent() implements Outcome {}

  /** The one {@link Silent} value. */
  Outcome SILENT = new Silent();
}
