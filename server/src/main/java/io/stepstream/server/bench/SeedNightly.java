package io.stepstream.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.server.DevMode;
import io.stepstream.worker.TaskFailure;
import io.stepstream.worker.TaskHandlers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed scenario at full scale, in dev mode: a night's prefix of N objects (some corrupt), a
 * Distributed Map with EXPRESS children calling the worker handler {@code transcode-batch} over
 * batches of 20, MaxConcurrency C, 1 % of failures tolerated, results written to a bucket. Reports the
 * wall time, items/s and the most batches the handler saw at once (the real semaphore). Not a test:
 * {@code java -cp server/target/stepstream.jar io.stepstream.server.bench.SeedNightly [objects] [concurrency]
 * [corrupt] [handler ms]}.
 */
public final class SeedNightly {

  private SeedNightly() {}

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int corrupt = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    long handlerMs = args.length > 3 ? Long.parseLong(args[3]) : 20;
    Path dataDir = Files.createTempDirectory("stepstream-seed");
    Path night = Files.createDirectories(dataDir.resolve("buckets/footage/night"));
    Files.createDirectories(dataDir.resolve("buckets/results"));
    for (int i = 0; i < objects; i++) {
      boolean bad = corrupt > 0 && i % (objects / corrupt) == 7;
      Files.writeString(night.resolve(String.format("clip-%06d.%s", i, bad ? "corrupt" : "mov")), "clip");
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    TaskHandlers handlers = TaskHandlers.builder()
        .register("transcode-batch", JsonNode.class, (input, context) -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            Thread.sleep(handlerMs);
            for (JsonNode item : input.path("Items")) {
              if (item.path("Key").asText().endsWith(".corrupt")) {
                throw new TaskFailure("TranscodeFailed", "corrupt: " + item.path("Key").asText());
              }
            }
            return Json.object().put("transcoded", input.path("Items").size());
          } finally {
            inFlight.decrementAndGet();
          }
        })
        .defaultConcurrency(Math.max(64, concurrency))
        .build();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers)) {
      Api api = new Api(dev.endpoint());
      String definition = """
          {"StartAt": "Transcode", "States": {"Transcode": {
            "Type": "Map", "MaxConcurrency": %d, "ToleratedFailurePercentage": 1,
            "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                           "Parameters": {"Bucket": "footage", "Prefix": "night/"}},
            "ItemBatcher": {"MaxItemsPerBatch": 20},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                             "Parameters": {"Bucket": "results", "Prefix": "transcode"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
              "StartAt": "Batch", "States": {"Batch": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
                "Parameters": {"FunctionName": "transcode-batch", "Payload.$": "$"}, "End": true}}},
            "End": true}}}""".formatted(concurrency);
      String machine = api.call("CreateStateMachine", Json.object().put("name", "nightly")
          .put("roleArn", "arn:aws:iam::123456789012:role/bench").put("definition", definition))
          .get("stateMachineArn").asText();
      long start = System.nanoTime();
      String execution = api.call("StartExecution", Json.object().put("stateMachineArn", machine).put("input", "{}"))
          .get("executionArn").asText();
      JsonNode described;
      long lastProgress = System.nanoTime();
      do {
        Thread.sleep(200);
        described = api.call("DescribeExecution", Json.object().put("executionArn", execution));
        if (System.nanoTime() - lastProgress > 5_000_000_000L) {
          lastProgress = System.nanoTime();
          JsonNode listed = api.call("ListMapRuns", Json.object().put("executionArn", execution)).get("mapRuns");
          if (!listed.isEmpty()) {
            JsonNode counts = api.call("DescribeMapRun", Json.object().put("mapRunArn",
                listed.get(0).get("mapRunArn").asText()));
            System.out.printf(Locale.ROOT, "%6.1f s  items %s  batches %s  at the handler %d%n",
                (System.nanoTime() - start) / 1e9, counts.get("itemCounts"), counts.get("executionCounts"),
                inFlight.get());
          }
        }
      } while ("RUNNING".equals(described.get("status").asText()));
      double seconds = (System.nanoTime() - start) / 1e9;
      JsonNode runs = api.call("ListMapRuns", Json.object().put("executionArn", execution)).get("mapRuns");
      JsonNode run = api.call("DescribeMapRun", Json.object().put("mapRunArn", runs.get(0).get("mapRunArn").asText()));
      System.out.printf(Locale.ROOT, "%s in %.1f s: %,d objects, %,.0f items/s, %,d batches (%,d failed), "
              + "most batches at the handler at once %d (MaxConcurrency %d), handler %d ms%n",
          described.get("status").asText(), seconds, run.path("itemCounts").path("total").asLong(),
          run.path("itemCounts").path("total").asLong() / seconds, run.path("executionCounts").path("total").asLong(),
          run.path("executionCounts").path("failed").asLong(), most.get(), concurrency, handlerMs);
    }
  }

  /** The Step Functions API over plain HTTP (the fat jar has no AWS SDK client). */
  private record Api(String endpoint) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    JsonNode call(String action, ObjectNode body) throws Exception {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
          .header("X-Amz-Target", "AWSStepFunctions." + action)
          .header("Content-Type", "application/x-amz-json-1.0")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(action + " answered " + response.statusCode() + ": " + response.body());
      }
      return Json.parse(response.body());
    }
  }
}
