package io.stepstream.loadtest;

import io.stepstream.loadtest.api.ApiLoadCommand;

/**
 * Entry point of the load generator for the Step Functions API of a running server; see
 * {@link ApiLoadCommand} and {@code docs/benchmarks.md}.
 *
 * <p>{@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.LoadTest --help}
 */
public final class LoadTest {

  private LoadTest() {}

  /** Runs the load generator and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(ApiLoadCommand.run(args));
  }
}
