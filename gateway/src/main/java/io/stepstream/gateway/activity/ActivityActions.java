package io.stepstream.gateway.activity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Names;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.tags.TagActions;
import io.stepstream.proto.ActivityRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * CreateActivity, DeleteActivity, DescribeActivity, ListActivities and GetActivityTask.
 *
 * <p>GetActivityTask is a long poll of up to 60 seconds that holds no thread: it completes when a
 * task of the activity arrives, or with an empty answer (no {@code taskToken}) when none did, as
 * AWS answers. It gets the activity's tasks on any gateway ({@link ActivityPolls}). Handing a task
 * out writes a ReportTaskStarted command (the execution's TaskStarted event, with the worker name);
 * the worker answers with SendTaskSuccess/Failure/Heartbeat.
 */
public final class ActivityActions {

  /** AWS holds a GetActivityTask request for up to 60 seconds. */
  public static final Duration LONG_POLL = Duration.ofSeconds(60);

  private final ActivityRegistry registry;
  private final ActivityPolls polls;
  private final Arns arns;
  private final Clock clock;
  private final Duration longPoll;

  public ActivityActions(ActivityRegistry registry, ActivityPolls polls, Arns arns, Clock clock, Duration longPoll) {
    this.registry = registry;
    this.polls = polls;
    this.arns = arns;
    this.clock = clock;
    this.longPoll = longPoll;
  }

  public CompletableFuture<ObjectNode> create(ObjectNode request) {
    String name = Names.require(Requests.requiredString(request, "name"));
    String arn = "arn:aws:states:" + arns.region() + ":" + arns.account() + ":activity:" + name;
    ActivityRecord existing = registry.find(arn).orElse(null);
    if (existing != null) {
      // CreateActivity is idempotent.
      return CompletableFuture.completedFuture(created(existing));
    }
    ActivityRecord record = ActivityRecord.newBuilder().setArn(arn).setName(name).setCreationDateMs(clock.millis())
        .addAllTags(TagActions.readTags(request.get("tags"))).build();
    return registry.put(record).thenApply(ignored -> created(record));
  }

  public CompletableFuture<ObjectNode> delete(ObjectNode request) {
    String arn = requireActivityArn(request);
    return registry.delete(arn).thenApply(ignored -> Json.object());
  }

  public CompletableFuture<ObjectNode> describe(ObjectNode request) {
    String arn = requireActivityArn(request);
    ActivityRecord record = registry.find(arn).orElseThrow(() -> doesNotExist(arn));
    ObjectNode response = Json.object().put("activityArn", record.getArn()).put("name", record.getName());
    response.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    return CompletableFuture.completedFuture(response);
  }

  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    ObjectNode response = Json.object();
    ArrayNode activities = response.putArray("activities");
    for (ActivityRecord record : registry.all()) {
      ObjectNode item = activities.addObject().put("activityArn", record.getArn()).put("name", record.getName());
      item.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    }
    return CompletableFuture.completedFuture(response);
  }

  public CompletableFuture<ObjectNode> getTask(ObjectNode request) {
    String arn = requireActivityArn(request);
    registry.find(arn).orElseThrow(() -> doesNotExist(arn));
    return polls.poll(arn, Requests.optionalString(request, "workerName"), longPoll);
  }

  /** {@code Internal.GetActivityTask}: a poll another gateway forwarded to this one, which holds the tasks. */
  public CompletableFuture<ObjectNode> localGetTask(ObjectNode request) {
    return polls.pollHere(Requests.requiredString(request, "activityArn"),
        Requests.optionalString(request, "workerName"), request.path("waitMillis").asLong(0));
  }

  private static ObjectNode created(ActivityRecord record) {
    ObjectNode response = Json.object().put("activityArn", record.getArn());
    response.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    return response;
  }

  private static String requireActivityArn(ObjectNode request) {
    String arn = Requests.requiredString(request, "activityArn");
    String[] parts = arn.split(":", -1);
    if (parts.length != 7 || !"arn".equals(parts[0]) || !"states".equals(parts[2]) || !"activity".equals(parts[5])) {
      throw ApiErrors.invalidArn(arn);
    }
    return arn;
  }

  private static ApiException doesNotExist(String arn) {
    return new ApiException("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
  }
}
