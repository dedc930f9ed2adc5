package io.stepstream.loadtest.chaos;

import io.stepstream.loadtest.chaos.TrackedExecution.Start;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Starts the named executions, open loop: execution {@code i} is due {@code i / rate} seconds after
 * the start, whatever happened to the others, on a virtual thread of its own. Execution {@code i}
 * asks gateway {@code i mod n} first. A start that fails there (unreachable, timed out, 5xx) is
 * asked once more, with the same name and input, on the next gateway; that is the only retry.
 */
final class Starter {

  /** What one StartExecution call got. */
  private enum Answer { OK, ALREADY_EXISTS, REFUSED, RETRYABLE }

  private final List<SfnClient> gateways;
  private final IntFunction<String> gatewayName;
  private final String stateMachineArn;

  Starter(List<SfnClient> gateways, IntFunction<String> gatewayName, String stateMachineArn) {
    this.gateways = List.copyOf(gateways);
    this.gatewayName = gatewayName;
    this.stateMachineArn = stateMachineArn;
  }

  /** Starts every execution at its due time from {@code originNanos}; returns once each has answered. */
  void run(List<TrackedExecution> executions, double perSecond, long originNanos) throws InterruptedException {
    try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
      for (TrackedExecution execution : executions) {
        long due = originNanos + (long) (execution.index * 1e9 / perSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        starts.submit(() -> start(execution));
      }
    }
  }

  private void start(TrackedExecution execution) {
    execution.startSent(System.currentTimeMillis());
    int first = execution.gateway;
    Answer answer = call(first, execution);
    if (answer == Answer.OK) {
      execution.startAnswered(Start.STARTED, System.currentTimeMillis());
      return;
    }
    if (answer != Answer.RETRYABLE || gateways.size() == 1) {
      // ExecutionAlreadyExists on a first attempt is a refusal too: every name is new.
      execution.startAnswered(answer == Answer.RETRYABLE ? Start.FAILED : Start.REFUSED, System.currentTimeMillis());
      return;
    }
    Answer retry = call((first + 1) % gateways.size(), execution);
    Start outcome = switch (retry) {
      case OK -> Start.STARTED_ON_RETRY;
      case ALREADY_EXISTS -> Start.EXISTS_ON_RETRY;
      case REFUSED -> Start.REFUSED;
      case RETRYABLE -> Start.FAILED;
    };
    execution.startAnswered(outcome, System.currentTimeMillis());
  }

  private Answer call(int gateway, TrackedExecution execution) {
    String where = gatewayName.apply(gateway) + ": ";
    try {
      gateways.get(gateway).startExecution(b -> b.stateMachineArn(stateMachineArn).name(execution.name)
          .input(execution.input));
      return Answer.OK;
    } catch (ExecutionAlreadyExistsException e) {
      execution.startError(where + "ExecutionAlreadyExists", where + "ExecutionAlreadyExists " + e.getMessage());
      return Answer.ALREADY_EXISTS;
    } catch (SfnException e) {
      String code = e.statusCode() + " " + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode());
      execution.startError(where + code, where + code + " " + e.getMessage());
      return e.statusCode() >= 500 ? Answer.RETRYABLE : Answer.REFUSED;
    } catch (SdkClientException e) {
      execution.startError(where + kind(e), where + e.getMessage());
      return Answer.RETRYABLE;
    }
  }

  /** A short name for a call that got no HTTP answer. */
  private static String kind(SdkClientException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof ApiCallTimeoutException || message.contains("timed out")) {
      return "no answer within 30 s";
    }
    return message.contains("Connection refused") ? "connection refused" : "connection failed";
  }
}
