package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.worker.TaskFailure;
import io.stepstream.worker.TaskHandlers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Distributed Map through the API of {@code stepstream dev}, with objects placed under
 * {@code <data-dir>/buckets/} as a user would: listObjectsV2 and getObject readers, ItemBatcher,
 * MaxConcurrency observed at the worker, tolerated failures, ResultWriter files, DescribeMapRun,
 * ListMapRuns, ListExecutions by map run, UpdateMapRun on a running run, StopExecution of the parent.
 */
class DistributedMapTest {

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  /** Batches in flight at the worker now, and the most seen at once, per test run. */
  static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  static final AtomicInteger MOST_IN_FLIGHT = new AtomicInteger();
  static final AtomicInteger TRANSCODING = new AtomicInteger();
  static final AtomicInteger MOST_TRANSCODING = new AtomicInteger();
  /** Whether "flaky" fails items marked "flaky" (a redrive runs them again with this off). */
  static volatile boolean flakyFails = true;
  /** Holds "gate" invocations until released. */
  static volatile CountDownLatch gate = new CountDownLatch(0);

  @BeforeAll
  static void start() throws IOException {
    TaskHandlers handlers = TaskHandlers.builder()
        .register("process-batch", JsonNode.class, (input, context) -> {
          int now = IN_FLIGHT.incrementAndGet();
          MOST_IN_FLIGHT.accumulateAndGet(now, Math::max);
          try {
            Thread.sleep(50);
            for (JsonNode item : input.path("Items")) {
              if (item.path("Key").asText().contains("corrupt")) {
                throw new TaskFailure("CorruptObject", "cannot decode " + item.path("Key").asText());
              }
            }
            return Json.object().put("processed", input.path("Items").size());
          } finally {
            IN_FLIGHT.decrementAndGet();
          }
        })
        .register("gate", JsonNode.class, (input, context) -> {
          int now = IN_FLIGHT.incrementAndGet();
          MOST_IN_FLIGHT.accumulateAndGet(now, Math::max);
          try {
            gate.await(60, TimeUnit.SECONDS);
            return input;
          } finally {
            IN_FLIGHT.decrementAndGet();
          }
        })
        .register("transcode-batch", JsonNode.class, (input, context) -> {
          int now = TRANSCODING.incrementAndGet();
          MOST_TRANSCODING.accumulateAndGet(now, Math::max);
          try {
            // Long enough that refilling a slot (a child ends, the next starts) takes less than a batch.
            Thread.sleep(400);
            List<String> corrupt = new java.util.ArrayList<>();
            for (JsonNode item : input.path("Items")) {
              if (item.path("Key").asText().endsWith(".corrupt")) {
                corrupt.add(item.path("Key").asText());
              }
            }
            if (!corrupt.isEmpty()) {
              throw new TaskFailure("TranscodeFailed", "corrupt: " + corrupt);
            }
            return Json.object().put("transcoded", input.path("Items").size());
          } finally {
            TRANSCODING.decrementAndGet();
          }
        })
        .register("flaky", JsonNode.class, (input, context) -> {
          if (flakyFails && input.path("flaky").asBoolean()) {
            throw new TaskFailure("Flaky", "item " + input.path("n").asInt() + " failed");
          }
          return Json.object().put("n", input.path("n").asInt());
        })
        .defaultConcurrency(64)
        .build();
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers);
    sfn = ExecutionsSfnClientTest.client(dev.endpoint());
    Path photos = Files.createDirectories(dataDir.resolve("buckets/media/photos"));
    for (int i = 0; i < 200; i++) {
      Files.writeString(photos.resolve(String.format("img-%03d.jpg", i)), "image " + i);
    }
    Path nights = Files.createDirectories(dataDir.resolve("buckets/media/night2/photos"));
    for (int i = 0; i < 200; i++) {
      Files.writeString(nights.resolve(String.format(i == 57 ? "img-%03d-corrupt.jpg" : "img-%03d.jpg", i)), "x" + i);
    }
    Files.createDirectories(dataDir.resolve("buckets/results"));
    // The seed's nightly footage at a tenth of its scale: 6,000 objects a night.
    for (String night : List.of("night-a", "night-b")) {
      Path footage = Files.createDirectories(dataDir.resolve("buckets/footage/" + night));
      int corrupt = night.equals("night-a") ? 2 : 5;
      for (int i = 0; i < 6_000; i++) {
        boolean bad = i % 1_000 == 7 && i / 1_000 < corrupt;
        Files.writeString(footage.resolve(String.format("clip-%05d.%s", i, bad ? "corrupt" : "mov")), "clip");
      }
    }
    Path data = Files.createDirectories(dataDir.resolve("buckets/data"));
    Files.writeString(data.resolve("orders.jsonl"), "{\"id\": 1, \"total\": 9.5}\n{\"id\": 2, \"total\": 20}\n\n{\"id\": 3}\n");
    Files.writeString(data.resolve("orders.csv"), "id,customer,note\n1,ann,\"first, with comma\"\n2,bob,\n3,\"c\"\"d\",x\n",
        StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  private static String create(String name, StateMachineType type, String definition) {
    return sfn.createStateMachine(b -> b.name(name).type(type).roleArn(ROLE).definition(definition))
        .stateMachineArn();
  }

  private static String photosMap(String tolerance, String resultWriter) {
    return """
        {"StartAt": "Photos", "States": {"Photos": {
          "Type": "Map", "MaxConcurrency": 3, "ToleratedFailurePercentage": %s,
          "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                         "Parameters": {"Bucket": "media", "Prefix.$": "$.prefix"}},
          "ItemBatcher": {"MaxItemsPerBatch": 20, "BatchInput": {"night.$": "$.prefix"}},
          %s
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Process", "States": {"Process": {"Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:123456789012:function:process-batch", "End": true}}},
          "End": true}}}""".formatted(tolerance, resultWriter);
  }

  @Test
  void shouldRunAListingInBatchesWithinMaxConcurrencyAndTolerateOneFailedBatch() throws IOException {
    String machine = create("photos-tolerant", StateMachineType.STANDARD, photosMap("15",
        "\"ResultWriter\": {\"Resource\": \"arn:aws:states:::s3:putObject\", "
            + "\"Parameters\": {\"Bucket\": \"results\", \"Prefix\": \"nightly\"}},"));
    MOST_IN_FLIGHT.set(0);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"prefix\": \"night2/photos/\"}"))
        .executionArn();
    DescribeExecutionResponse done = awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);

    assertThat(MOST_IN_FLIGHT.get()).as("children running at once").isBetween(1, 3);
    List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns();
    assertThat(runs).hasSize(1);
    String mapRunArn = runs.get(0).mapRunArn();
    assertThat(mapRunArn).startsWith("arn:aws:states:us-east-1:123456789012:mapRun:photos-tolerant/");
    DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
    assertThat(run.maxConcurrency()).isEqualTo(3);
    assertThat(run.toleratedFailurePercentage()).isEqualTo(15f);
    assertThat(run.itemCounts().total()).isEqualTo(200);
    assertThat(run.itemCounts().succeeded()).isEqualTo(180);
    assertThat(run.itemCounts().failed()).isEqualTo(20);
    assertThat(run.itemCounts().running()).isZero();
    assertThat(run.executionCounts().total()).isEqualTo(10);
    assertThat(run.executionCounts().succeeded()).isEqualTo(9);
    assertThat(run.executionCounts().failed()).isEqualTo(1);

    JsonNode output = Json.parse(done.output());
    String id = mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1);
    assertThat(output.path("MapRunArn").asText()).isEqualTo(mapRunArn);
    assertThat(output.path("ResultWriterDetails").path("Bucket").asText()).isEqualTo("results");
    assertThat(output.path("ResultWriterDetails").path("Key").asText()).isEqualTo("nightly/" + id + "/manifest.json");
    Path folder = dataDir.resolve("buckets/results/nightly/" + id);
    JsonNode manifest = Json.parse(Files.readString(folder.resolve("manifest.json")));
    assertThat(manifest.path("MapRunArn").asText()).isEqualTo(mapRunArn);
    assertThat(manifest.path("DestinationBucket").asText()).isEqualTo("results");
    assertThat(manifest.path("ResultFiles").path("FAILED")).hasSize(1);
    JsonNode failed = Json.parse(Files.readString(dataDir.resolve("buckets/results/"
        + manifest.path("ResultFiles").path("FAILED").get(0).path("Key").asText())));
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).path("Status").asText()).isEqualTo("FAILED");
    assertThat(failed.get(0).path("Error").asText()).isEqualTo("CorruptObject");
    assertThat(failed.get(0).path("Input").asText()).contains("img-057-corrupt.jpg");
    JsonNode succeeded = Json.parse(Files.readString(dataDir.resolve("buckets/results/"
        + manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Key").asText())));
    assertThat(succeeded).hasSize(9);

    // The children are STANDARD executions of the Map state's processor, listed by their map run.
    List<ExecutionListItem> children = sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
    assertThat(children).hasSize(10);
    assertThat(children).allSatisfy(child -> {
      assertThat(child.mapRunArn()).isEqualTo(mapRunArn);
      assertThat(child.stateMachineArn()).startsWith(
          "arn:aws:states:us-east-1:123456789012:stateMachine:photos-tolerant/");
    });
    assertThat(children.stream().filter(c -> c.status() == ExecutionStatus.FAILED)).hasSize(1);
    String child = children.get(0).executionArn();
    assertThat(sfn.describeExecution(b -> b.executionArn(child)).mapRunArn()).isEqualTo(mapRunArn);
    var childMachine = sfn.describeStateMachineForExecution(b -> b.executionArn(child));
    assertThat(childMachine.mapRunArn()).isEqualTo(mapRunArn);
    assertThat(Json.parse(childMachine.definition()).path("StartAt").asText()).isEqualTo("Process");
    assertThat(Json.parse(childMachine.definition()).has("ProcessorConfig")).isFalse();
    assertThat(childMachine.stateMachineArn()).isEqualTo(children.get(0).stateMachineArn());

    List<HistoryEventType> types = sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream()
        .map(HistoryEvent::type).toList();
    assertThat(types).containsSubsequence(HistoryEventType.MAP_STATE_STARTED, HistoryEventType.MAP_RUN_STARTED,
        HistoryEventType.MAP_RUN_SUCCEEDED, HistoryEventType.MAP_STATE_SUCCEEDED, HistoryEventType.MAP_STATE_EXITED);
  }

  /**
   * The seed scenario: every object under a nightly prefix, EXPRESS children calling a worker in
   * batches of 20, MaxConcurrency 40 protecting the transcoder, 1 % of failures tolerated.
   */
  private static String nightly() {
    return create("nightly-transcode", StateMachineType.STANDARD, """
        {"StartAt": "Transcode", "States": {"Transcode": {
          "Type": "Map", "MaxConcurrency": 40, "ToleratedFailurePercentage": 1,
          "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                         "Parameters": {"Bucket": "footage", "Prefix.$": "$.night"}},
          "ItemBatcher": {"MaxItemsPerBatch": 20},
          "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                           "Parameters": {"Bucket": "results", "Prefix": "transcode"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Batch", "States": {"Batch": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
              "Parameters": {"FunctionName": "transcode-batch", "Payload.$": "$"}, "End": true}}},
          "End": true}}}""");
  }

  @Test
  void shouldRunTheSeedScenarioWithinItsConcurrencyAndTolerance() throws IOException {
    String machine = nightly();
    MOST_TRANSCODING.set(0);
    String good = sfn.startExecution(b -> b.stateMachineArn(machine).name("night-a")
        .input("{\"night\": \"night-a/\"}")).executionArn();
    JsonNode output = Json.parse(awaitStatus(sfn, good, ExecutionStatus.SUCCEEDED).output());
    assertThat(MOST_TRANSCODING.get()).as("batches at the transcoder at once").isEqualTo(40);

    String mapRunArn = sfn.listMapRuns(b -> b.executionArn(good)).mapRuns().get(0).mapRunArn();
    DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(run.itemCounts().total()).isEqualTo(6_000);
    assertThat(run.itemCounts().failed()).isEqualTo(40);
    assertThat(run.executionCounts().total()).isEqualTo(300);
    assertThat(run.executionCounts().failed()).isEqualTo(2);
    JsonNode manifest = Json.parse(Files.readString(dataDir.resolve("buckets/results/"
        + output.path("ResultWriterDetails").path("Key").asText())));
    String failedFile = Files.readString(dataDir.resolve("buckets/results/"
        + manifest.path("ResultFiles").path("FAILED").get(0).path("Key").asText()));
    assertThat(Json.parse(failedFile)).hasSize(2);
    assertThat(failedFile).contains("clip-00007.corrupt", "clip-01007.corrupt");

    String bad = sfn.startExecution(b -> b.stateMachineArn(machine).name("night-b")
        .input("{\"night\": \"night-b/\"}")).executionArn();
    DescribeExecutionResponse failed = awaitStatus(sfn, bad, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
  }

  @Test
  void shouldFailWhenTheFailedItemsExceedTheToleratedPercentage() {
    String machine = create("photos-strict", StateMachineType.STANDARD, photosMap("5", ""));
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"prefix\": \"night2/photos/\"}"))
        .executionArn();
    DescribeExecutionResponse failed = awaitStatus(sfn, arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    String mapRunArn = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns().get(0).mapRunArn();
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).status()).isEqualTo(MapRunStatus.FAILED);
    assertThat(sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream().map(HistoryEvent::type))
        .contains(HistoryEventType.MAP_RUN_FAILED);
  }

  @Test
  void shouldGiveTheItemsOfJsonLinesAndCsvObjectsAsAwsDoes() {
    String machine = create("readers", StateMachineType.STANDARD, """
        {"StartAt": "Lines", "States": {
          "Lines": {"Type": "Map", "ResultPath": "$.lines",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
              "ReaderConfig": {"InputType": "JSONL"}, "Parameters": {"Bucket": "data", "Key": "orders.jsonl"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "Next": "Rows"},
          "Rows": {"Type": "Map", "ResultPath": "$.rows",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
              "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
              "Parameters": {"Bucket": "data", "Key": "orders.csv"}},
            "ItemSelector": {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}},
            "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    JsonNode output = Json.parse(awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED).output());
    assertThat(output.get("lines")).isEqualTo(Json.parse("[{\"id\":1,\"total\":9.5},{\"id\":2,\"total\":20},{\"id\":3}]"));
    assertThat(output.get("rows")).isEqualTo(Json.parse("""
        [{"row": {"id": "1", "customer": "ann", "note": "first, with comma"}, "index": 0},
         {"row": {"id": "2", "customer": "bob", "note": ""}, "index": 1},
         {"row": {"id": "3", "customer": "c\\"d", "note": "x"}, "index": 2}]"""));
  }

  /**
   * EXPRESS children of a Distributed Map are listed by ListExecutions of their map run and described
   * by DescribeExecution, as AWS lists and describes them, even when each ends within its first step.
   */
  @Test
  void shouldListAndDescribeTheExpressChildrenOfAMapRun() {
    String machine = create("express-children", StateMachineType.STANDARD, """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
          "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("[{\"n\": 0}, {\"n\": 1}, {\"n\": 2}]"))
        .executionArn();
    awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);
    String mapRun = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns().get(0).mapRunArn();

    var children = sfn.listExecutions(b -> b.mapRunArn(mapRun)).executions();

    assertThat(children).hasSize(3).allSatisfy(child -> assertThat(child.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
    assertThat(children.stream().map(child -> sfn.describeExecution(b -> b.executionArn(child.executionArn())))
        .map(described -> described.mapRunArn() + " " + described.output()))
        .containsExactlyInAnyOrder(mapRun + " {\"n\":0}", mapRun + " {\"n\":1}", mapRun + " {\"n\":2}");
  }

  @Test
  void shouldFailWithItemReaderFailedWhenTheBucketIsMissing() {
    String machine = create("no-bucket", StateMachineType.STANDARD, """
        {"StartAt": "M", "States": {"M": {"Type": "Map",
          "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "nowhere"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
          "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    DescribeExecutionResponse failed = awaitStatus(sfn, arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.ItemReaderFailed");
    assertThat(failed.cause()).contains("bucket");
  }

  @Test
  void shouldApplyUpdateMapRunToARunningMapRunAndAbortChildrenWithTheParent() {
    String machine = create("gated", StateMachineType.STANDARD, """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Gate", "States": {"Gate": {"Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:123456789012:function:gate", "End": true}}},
          "End": true}}}""");
    gate = new CountDownLatch(1);
    MOST_IN_FLIGHT.set(0);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("[1, 2, 3, 4, 5, 6]")).executionArn();
    String mapRunArn = waitFor(() -> {
      List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns();
      return runs.isEmpty() ? null : runs.get(0).mapRunArn();
    }, "the map run");
    waitFor(() -> IN_FLIGHT.get() == 1 ? true : null, "the first child at the worker");
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).executionCounts().running()).isEqualTo(1);

    sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).maxConcurrency(4));
    // Read your write: the answer came once DescribeMapRun shows it.
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).maxConcurrency()).isEqualTo(4);
    waitFor(() -> IN_FLIGHT.get() == 4 ? true : null, "four children at once after UpdateMapRun");

    sfn.stopExecution(b -> b.executionArn(arn).error("Operator").cause("enough"));
    DescribeMapRunResponse aborted = waitFor(() -> {
      DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
      return run.status() == MapRunStatus.ABORTED ? run : null;
    }, "the map run to be aborted");
    assertThat(aborted.executionCounts().aborted()).isEqualTo(4);
    for (ExecutionListItem child : sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions()) {
      awaitStatus(sfn, child.executionArn(), ExecutionStatus.ABORTED);
    }
    gate.countDown();
    assertThat(MOST_IN_FLIGHT.get()).isEqualTo(4);
    assertThat(sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream().map(HistoryEvent::type))
        .contains(HistoryEventType.MAP_RUN_ABORTED);
  }

  @Test
  void shouldRedriveOnlyTheFailedChildrenWhenTheParentIsRedriven() {
    String machine = create("flaky-map", StateMachineType.STANDARD, """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky", "End": true}}},
          "End": true}}}""");
    flakyFails = true;
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("""
        [{"n": 0}, {"n": 1, "flaky": true}, {"n": 2}, {"n": 3, "flaky": true}, {"n": 4}]""")).executionArn();
    DescribeExecutionResponse failed = awaitStatus(sfn, arn, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    String mapRunArn = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns().get(0).mapRunArn();
    List<ExecutionListItem> before = sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
    // The child's failure reached the run before the parent failed; its own projection (another
    // partition) may trail the parent's by a commit.
    String failedChild = waitFor(() -> sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions().stream()
        .filter(c -> c.status() == ExecutionStatus.FAILED).findFirst().map(ExecutionListItem::executionArn)
        .orElse(null), "the failed child");
    assertThat(sfn.describeExecution(b -> b.executionArn(failedChild)).redriveStatusAsString())
        .isEqualTo("REDRIVABLE_BY_MAP_RUN");

    flakyFails = false;
    sfn.redriveExecution(b -> b.executionArn(arn));
    DescribeExecutionResponse done = awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(done.output())).isEqualTo(Json.parse("[{\"n\":0},{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4}]"));
    DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    assertThat(run.status()).isEqualTo(MapRunStatus.SUCCEEDED);
    assertThat(run.redriveCount()).isEqualTo(1);
    assertThat(run.itemCounts().succeeded()).isEqualTo(5);
    assertThat(run.executionCounts().total()).isEqualTo(5);
    // The children from before the failure are the same executions (the failed one redriven, the
    // others not run again); those the failure stopped before they started ran after the redrive.
    List<ExecutionListItem> after = sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
    assertThat(after).hasSize(5).extracting(ExecutionListItem::executionArn)
        .containsAll(before.stream().map(ExecutionListItem::executionArn).toList());
    assertThat(after).allSatisfy(child -> assertThat(child.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
    assertThat(sfn.describeExecution(b -> b.executionArn(failedChild)).redriveCount()).isEqualTo(1);
    // redriveFilter splits the children by whether they were redriven (the failed ones, and those the
    // failure aborted), as DescribeExecution's redriveCount says.
    List<String> redriven = sfn.listExecutions(b -> b.mapRunArn(mapRunArn).redriveFilter("REDRIVEN")).executions()
        .stream().map(ExecutionListItem::executionArn).toList();
    List<String> notRedriven = sfn.listExecutions(b -> b.mapRunArn(mapRunArn).redriveFilter("NOT_REDRIVEN"))
        .executions().stream().map(ExecutionListItem::executionArn).toList();
    assertThat(redriven).contains(failedChild).doesNotContainAnyElementsOf(notRedriven);
    assertThat(redriven.size() + notRedriven.size()).isEqualTo(5);
    redriven.forEach(c -> assertThat(sfn.describeExecution(b -> b.executionArn(c)).redriveCount()).isEqualTo(1));
    notRedriven.forEach(c -> assertThat(sfn.describeExecution(b -> b.executionArn(c)).redriveCount()).isZero());
    assertThat(sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream().map(HistoryEvent::type))
        .containsSubsequence(HistoryEventType.MAP_RUN_FAILED, HistoryEventType.EXECUTION_FAILED,
            HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.MAP_RUN_REDRIVEN, HistoryEventType.MAP_RUN_SUCCEEDED,
            HistoryEventType.EXECUTION_SUCCEEDED);
  }

  @Test
  void shouldAbortTheMapRunWhenTheParentFailsElsewhere() {
    String machine = create("parallel-fails", StateMachineType.STANDARD, """
        {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Slow", "States": {"Slow": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "Gate", "States": {"Gate": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:gate", "End": true}}}}}},
          {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 2, "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "the other branch failed"}}}]}}}""");
    gate = new CountDownLatch(1);
    try {
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("[1, 2, 3]")).executionArn();
      DescribeExecutionResponse failed = awaitStatus(sfn, arn, ExecutionStatus.FAILED);
      assertThat(failed.error()).isEqualTo("Boom");
      String mapRunArn = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns().get(0).mapRunArn();
      waitFor(() -> sfn.describeMapRun(b -> b.mapRunArn(mapRunArn)).status() == MapRunStatus.ABORTED ? true : null,
          "the map run to be aborted with its parent");
      for (ExecutionListItem child : sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions()) {
        awaitStatus(sfn, child.executionArn(), ExecutionStatus.ABORTED);
      }
      assertThat(sfn.getExecutionHistory(b -> b.executionArn(arn)).events().stream().map(HistoryEvent::type))
          .containsSubsequence(HistoryEventType.MAP_RUN_ABORTED, HistoryEventType.EXECUTION_FAILED);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void shouldRefuseUnknownAndMalformedMapRuns() {
    assertThatThrownBy(() -> sfn.describeMapRun(b -> b.mapRunArn(
        "arn:aws:states:us-east-1:123456789012:mapRun:nothing/label:00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> sfn.describeMapRun(b -> b.mapRunArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
  }
}
