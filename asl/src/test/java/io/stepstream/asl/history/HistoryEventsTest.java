package io.stepstream.asl.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ActivityScheduledEventDetails;
import io.stepstream.proto.ActivityStartedEventDetails;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventExecutionDataDetails;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.LambdaFunctionScheduledEventDetails;
import org.junit.jupiter.api.Test;

/** GetExecutionHistory's rendering of the Activity and LambdaFunction events. */
class HistoryEventsTest {

  private static final HistoryEventExecutionDataDetails NOT_TRUNCATED =
      HistoryEventExecutionDataDetails.newBuilder().setTruncated(false).build();

  /** The details as a client parses them (numbers compared by value, not by node class). */
  private static JsonNode rendered(HistoryEvent event, boolean data, String details) {
    return Json.parse(Json.write(HistoryEvents.toJson(event, data).get(details)));
  }

  @Test
  void shouldRenderActivityScheduledUnderAwsNamesWithoutTheTaskToken() {
    HistoryEvent event = HistoryEvent.newBuilder().setId(3).setPreviousEventId(2).setTimestampMs(1_000)
        .setType(HistoryEventType.ActivityScheduled)
        .setActivityScheduledEventDetails(ActivityScheduledEventDetails.newBuilder()
            .setResource("arn:aws:states:us-east-1:123456789012:activity:review").setInput("{\"v\":1}")
            .setInputDetails(NOT_TRUNCATED).setHeartbeatInSeconds(30).setTaskToken("secret"))
        .build();

    assertThat(rendered(event, true, "activityScheduledEventDetails")).isEqualTo(Json.parse("""
        {"resource": "arn:aws:states:us-east-1:123456789012:activity:review", "input": "{\\"v\\":1}",
         "inputDetails": {"truncated": false}, "heartbeatInSeconds": 30}"""));
  }

  @Test
  void shouldRenderLambdaFunctionScheduledWithoutTheInternalTokenAndHeartbeat() {
    HistoryEvent event = HistoryEvent.newBuilder().setId(3).setType(HistoryEventType.LambdaFunctionScheduled)
        .setLambdaFunctionScheduledEventDetails(LambdaFunctionScheduledEventDetails.newBuilder()
            .setResource("arn:aws:lambda:us-east-1:123456789012:function:f").setInput("{}")
            .setInputDetails(NOT_TRUNCATED).setTimeoutInSeconds(60).setHeartbeatInSeconds(10).setTaskToken("secret"))
        .build();

    assertThat(rendered(event, false, "lambdaFunctionScheduledEventDetails")).isEqualTo(Json.parse("""
        {"resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
         "inputDetails": {"truncated": false}, "timeoutInSeconds": 60}"""));
  }

  @Test
  void shouldRenderTheWorkerNameOfActivityStarted() {
    HistoryEvent event = HistoryEvent.newBuilder().setId(4).setType(HistoryEventType.ActivityStarted)
        .setActivityStartedEventDetails(ActivityStartedEventDetails.newBuilder().setWorkerName("reviewer-1"))
        .build();

    assertThat(HistoryEvents.toJson(event, true).get("activityStartedEventDetails"))
        .isEqualTo(Json.parse("{\"workerName\": \"reviewer-1\"}"));
  }
}
