package io.stepstream.loadtest.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * How one execution is started and when it counts as finished; one implementation per mode.
 * Implementations record into {@link Measurements} and call {@code finished} exactly once per
 * started execution, from whichever thread learns the outcome.
 */
sealed interface Workload {

  /**
   * Starts execution number {@code index}, due at {@code dueNanos} ({@link System#nanoTime()}).
   * Must not block.
   */
  void start(long index, long dueNanos, Runnable finished);

  /**
   * EXPRESS through StartSyncExecution: the response carries the whole execution, so latency is
   * request (due time) to response and anything but a SUCCEEDED answer is an error.
   */
  record ExpressSync(HttpApiClient client, Measurements measurements, byte[] body) implements Workload {

    /** The request body, the same for every execution (EXPRESS names may repeat; none is sent). */
    static byte[] body(String stateMachineArn, String input) {
      ObjectNode request = Json.object().put("stateMachineArn", stateMachineArn).put("input", input);
      return Json.write(request).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void start(long index, long dueNanos, Runnable finished) {
      measurements.started(dueNanos);
      client.submit(new HttpApiClient.Call("AWSStepFunctions.StartSyncExecution", body, (status, response) -> {
        long now = System.nanoTime();
        if (status == 200 && response.contains("\"status\":\"SUCCEEDED\"")) {
          measurements.succeeded(dueNanos, now);
        } else {
          measurements.failed(dueNanos);
          Errors.note(status, response);
        }
        finished.run();
      }));
    }
  }

  /**
   * StartExecution (STANDARD, or EXPRESS started asynchronously): an execution is finished when its completion record is
   * committed to the completions topic, so latency is due time to the record's arrival. Each
   * execution gets a unique name, awaited before the request is sent.
   */
  record Started(HttpApiClient client, Measurements measurements, CompletionTracker completions,
      String stateMachineArn, String escapedInput, String namePrefix) implements Workload {

    @Override
    public void start(long index, long dueNanos, Runnable finished) {
      String name = namePrefix + index;
      measurements.started(dueNanos);
      completions.await(name, dueNanos);
      // Built by hand: this runs thousands of times a second on the feeder thread.
      String body = "{\"stateMachineArn\":\"" + stateMachineArn + "\",\"name\":\"" + name + "\",\"input\":"
          + escapedInput + "}";
      client.submit(new HttpApiClient.Call("AWSStepFunctions.StartExecution", body.getBytes(StandardCharsets.UTF_8),
          (status, response) -> {
            if (status != 200 && completions.forget(name)) {
              measurements.failed(dueNanos);
              Errors.note(status, response);
              finished.run();
            }
          }));
    }

    /** The input as a JSON string literal, quotes included. */
    static String escape(String input) {
      return Json.write(Json.NODES.textNode(input));
    }
  }
}
