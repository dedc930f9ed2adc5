package io.stepstream.maprun.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.LocalBuckets;
import io.stepstream.maprun.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {

  private static final String MAP_RUN_ARN =
      "arn:aws:states:us-east-2:123456789012:mapRun:csvProcess/Map:ad9b5f27-090b-3ac6-9beb-243cd77144a7";
  private static final String RUN_ID = "ad9b5f27-090b-3ac6-9beb-243cd77144a7";
  private static final String STATE_MACHINE = "arn:aws:states:us-east-2:123456789012:stateMachine:csvProcess/Map";
  /** 2025-02-04T01:49:50.099Z and 2025-02-04T01:49:50.163Z, the dates of AWS's example entry. */
  private static final long START = 1738633790099L;
  private static final long STOP = 1738633790163L;

  @TempDir
  Path root;

  private ObjectStore store;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("results"));
    store = new LocalBuckets(root);
  }

  private static JsonNode writer(String prefix, String writerConfig) {
    return Json.parse("{\"Resource\": \"arn:aws:states:::s3:putObject\", \"Parameters\": {\"Bucket\": \"results\","
        + " \"Prefix\": \"" + prefix + "\"}" + (writerConfig == null ? "" : ", \"WriterConfig\": " + writerConfig) + "}");
  }

  private static ChildResult succeeded(int n, String output) {
    return new ChildResult(STATE_MACHINE.replace("stateMachine", "execution") + ":child-" + n, "child-" + n,
        STATE_MACHINE, "SUCCEEDED", "{\"n\":" + n + "}", output, null, null, START, STOP, 0, "NOT_REDRIVABLE");
  }

  private static ChildResult ended(int n, String status) {
    return new ChildResult(STATE_MACHINE.replace("stateMachine", "execution") + ":child-" + n, "child-" + n,
        STATE_MACHINE, status, "{\"n\":" + n + "}", null, "States.TaskFailed", "it broke", START, STOP, 0,
        "REDRIVABLE_BY_MAP_RUN");
  }

  private static ChildResult pending(int n) {
    return new ChildResult(null, null, null, "PENDING", "{\"n\":" + n + "}", null, null, null, 0, 0, 0, null);
  }

  private JsonNode read(String key) throws Exception {
    return Json.parse(Files.readString(root.resolve("results").resolve(key)));
  }

  @Test
  void shouldWriteAwsLayoutAndManifest() throws Exception {
    List<ChildResult> children = List.of(succeeded(1, "{\"ok\":1}"), ended(2, "FAILED"), ended(3, "TIMED_OUT"),
        ended(4, "ABORTED"), pending(5), succeeded(6, "[1,2]"));

    JsonNode details = ResultWriter.write(store, writer("csvProcessJobs", null), MAP_RUN_ARN, children.iterator());

    String dir = "csvProcessJobs/" + RUN_ID + "/";
    assertThat(details).isEqualTo(Json.parse("{\"Bucket\": \"results\", \"Key\": \"" + dir + "manifest.json\"}"));
    assertThat(read(dir + "manifest.json")).isEqualTo(Json.parse("""
        {"DestinationBucket": "results", "MapRunArn": "%s", "ResultFiles": {
          "FAILED": [{"Key": "%sFAILED_0.json", "Size": %d}],
          "PENDING": [{"Key": "%sPENDING_0.json", "Size": %d}],
          "SUCCEEDED": [{"Key": "%sSUCCEEDED_0.json", "Size": %d}]}}
        """.formatted(MAP_RUN_ARN, dir, size(dir + "FAILED_0.json"), dir, size(dir + "PENDING_0.json"), dir,
        size(dir + "SUCCEEDED_0.json"))));
    assertThat(read(dir + "FAILED_0.json").findValuesAsText("Status")).containsExactly("FAILED", "TIMED_OUT", "ABORTED");
    assertThat(read(dir + "SUCCEEDED_0.json")).hasSize(2);
    assertThat(read(dir + "PENDING_0.json")).isEqualTo(Json.parse("""
        [{"Input": "{\\"n\\":5}", "InputDetails": {"Included": true}, "Status": "PENDING"}]"""));
  }

  @Test
  void shouldDescribeEachExecutionAsAwsDoes() throws Exception {
    ResultWriter.write(store, writer("p", null), MAP_RUN_ARN, List.of(succeeded(1, "[{\"id\":\"1\"}]"),
        ended(2, "FAILED")).iterator());

    JsonNode success = read("p/" + RUN_ID + "/SUCCEEDED_0.json").get(0);
    JsonNode failure = read("p/" + RUN_ID + "/FAILED_0.json").get(0);
    assertThat(Json.write(success)).isEqualTo("{\"ExecutionArn\":\"" + STATE_MACHINE.replace("stateMachine", "execution")
        + ":child-1\",\"Input\":\"{\\\"n\\\":1}\",\"InputDetails\":{\"Included\":true},\"Name\":\"child-1\","
        + "\"Output\":\"[{\\\"id\\\":\\\"1\\\"}]\",\"OutputDetails\":{\"Included\":true},\"RedriveCount\":0,"
        + "\"RedriveStatus\":\"NOT_REDRIVABLE\",\"RedriveStatusReason\":\"Execution is SUCCEEDED and cannot be redriven\","
        + "\"StartDate\":\"2025-02-04T01:49:50.099Z\",\"StateMachineArn\":\"" + STATE_MACHINE + "\","
        + "\"Status\":\"SUCCEEDED\",\"StopDate\":\"2025-02-04T01:49:50.163Z\"}");
    assertThat(fieldNames(failure)).containsExactly("Cause", "Error", "ExecutionArn", "Input", "InputDetails", "Name",
        "OutputDetails", "RedriveCount", "RedriveStatus", "StartDate", "StateMachineArn", "Status", "StopDate");
    assertThat(failure.path("Error").asText()).isEqualTo("States.TaskFailed");
    assertThat(failure.path("Cause").asText()).isEqualTo("it broke");
  }

  @Test
  void shouldWriteOutputsOnlyWhenCompactAndFlattenedArraysWhenFlatten() throws Exception {
    List<ChildResult> children = List.of(succeeded(1, "[{\"a\":1},{\"a\":2}]"), succeeded(2, "{\"b\":3}"),
        ended(3, "FAILED"));

    ResultWriter.write(store, writer("compact", "{\"Transformation\": \"COMPACT\"}"), MAP_RUN_ARN, children.iterator());
    ResultWriter.write(store, writer("flatten", "{\"Transformation\": \"FLATTEN\"}"), MAP_RUN_ARN, children.iterator());

    assertThat(read("compact/" + RUN_ID + "/SUCCEEDED_0.json"))
        .isEqualTo(Json.parse("[[{\"a\":1},{\"a\":2}],{\"b\":3}]"));
    assertThat(read("flatten/" + RUN_ID + "/SUCCEEDED_0.json")).isEqualTo(Json.parse("[{\"a\":1},{\"a\":2},{\"b\":3}]"));
    // A failed child is written unchanged, as with NONE.
    assertThat(read("flatten/" + RUN_ID + "/FAILED_0.json").get(0).path("Status").asText()).isEqualTo("FAILED");
  }

  @Test
  void shouldWriteOneEntryPerLineForJsonLines() throws Exception {
    ResultWriter.write(store, writer("lines", "{\"OutputType\": \"JSONL\", \"Transformation\": \"COMPACT\"}"),
        MAP_RUN_ARN, List.of(succeeded(1, "{\"a\":1}"), succeeded(2, "\"two\"")).iterator());

    assertThat(Files.readString(root.resolve("results/lines/" + RUN_ID + "/SUCCEEDED_0.json")))
        .isEqualTo("{\"a\":1}\n\"two\"\n");
  }

  @Test
  void shouldStartANewFileWhenTheNextEntryWouldPassTheCap() throws Exception {
    List<ChildResult> children = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      children.add(succeeded(i, "{\"value\":\"" + "v".repeat(40) + "\"}"));
    }

    ResultWriter.write(store, writer("split", "{\"Transformation\": \"COMPACT\"}"), MAP_RUN_ARN, children.iterator(),
        200);

    JsonNode files = read("split/" + RUN_ID + "/manifest.json").path("ResultFiles").path("SUCCEEDED");
    List<JsonNode> entries = new ArrayList<>();
    for (JsonNode file : files) {
      String key = file.path("Key").asText();
      assertThat(file.path("Size").asLong()).isEqualTo(size(key)).isLessThanOrEqualTo(200);
      read(key).forEach(entries::add);
    }
    assertThat(files).hasSizeGreaterThan(1);
    assertThat(files.get(1).path("Key").asText()).endsWith("/SUCCEEDED_1.json");
    assertThat(entries).hasSize(10);
  }

  @Test
  void shouldPutTheRunDirectlyUnderThePrefix() throws Exception {
    assertThat(ResultWriter.write(store, writer("a/b/", null), MAP_RUN_ARN, List.<ChildResult>of().iterator())
        .path("Key").asText()).isEqualTo("a/b/" + RUN_ID + "/manifest.json");
    assertThat(ResultWriter.write(store, writer("", null), MAP_RUN_ARN, List.<ChildResult>of().iterator())
        .path("Key").asText()).isEqualTo(RUN_ID + "/manifest.json");
    assertThat(read(RUN_ID + "/manifest.json").path("ResultFiles"))
        .isEqualTo(Json.parse("{\"FAILED\": [], \"PENDING\": [], \"SUCCEEDED\": []}"));
  }

  @Test
  void shouldStreamManyChildren() throws Exception {
    int count = 100_000;
    Iterator<ChildResult> children = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public ChildResult next() {
        int n = next++;
        return n % 10 == 0 ? ended(n, "FAILED") : succeeded(n, "{\"n\":" + n + "}");
      }
    };

    ResultWriter.write(store, writer("many", "{\"OutputType\": \"JSONL\"}"), MAP_RUN_ARN, children);

    try (var lines = Files.lines(root.resolve("results/many/" + RUN_ID + "/SUCCEEDED_0.json"))) {
      assertThat(lines.count()).isEqualTo(count * 9 / 10);
    }
  }

  @Test
  void shouldFailAMissingBucketWithS3sMessage() {
    JsonNode writer = Json.parse("{\"Resource\": \"arn:aws:states:::s3:putObject\","
        + " \"Arguments\": {\"Bucket\": \"no-such-bucket\", \"Prefix\": \"p\"}}");

    assertThatThrownBy(() -> ResultWriter.write(store, writer, MAP_RUN_ARN, List.of(succeeded(1, "1")).iterator()))
        .isInstanceOfSatisfying(ResultWriterException.class, e -> {
          assertThat(e.error()).isEqualTo("States.ResultWriterFailed");
          assertThat(e.getMessage())
              .startsWith("The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ");
        });
  }

  @Test
  void shouldRefuseAnotherResource() {
    JsonNode writer = Json.parse("{\"Resource\": \"arn:aws:states:::s3:getObject\", \"Parameters\": {\"Bucket\": \"b\"}}");

    assertThatThrownBy(() -> ResultWriter.write(store, writer, MAP_RUN_ARN, List.<ChildResult>of().iterator()))
        .isInstanceOf(ResultWriterException.class).hasMessageContaining("is not supported");
  }

  @Test
  void shouldRefuseAChildThatIsStillRunning() {
    assertThatThrownBy(() -> new ChildResult("arn", "n", "sm", "RUNNING", "{}", null, null, null, START, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private long size(String key) throws Exception {
    return Files.size(root.resolve("results").resolve(key));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      names.add(field.getKey());
    }
    return names;
  }
}
