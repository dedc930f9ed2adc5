package io.stepstream.gateway.tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.Decision;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.ResourceTag;
import io.stepstream.proto.StateMachineRecord;

/**
 * TagResource, UntagResource and ListTagsForResource on state machines. Tags are part of the
 * state machine's registry record. Methods run on an event loop and never block.
 */
public final class TagActions {

  /** AWS's limit of tags per resource. */
  public static final int MAX_TAGS = 50;

  private final StateMachineRegistry registry;

  /**
   * Creates the actions.
   *
   * @param registry where state machines live
   */
  public TagActions(StateMachineRegistry registry) {
    this.registry = registry;
  }

  /**
   * Reads the {@code tags} member of a request: {@code [{"key": k, "value": v}, ...]}.
   *
   * @param tags the member, possibly null
   * @return the tags in request order, later duplicates of a key replacing earlier ones
   * @throws ApiException {@code SerializationException} for a wrong shape, {@code TooManyTags} above {@value #MAX_TAGS}
   */
  public static List<ResourceTag> readTags(JsonNode tags) {
    if (tags == null || tags.isNull()) {
      return List.of();
    }
    if (!tags.isArray()) {
      throw ApiErrors.serialization("Expected a list for member 'tags'");
    }
    Map<String, String> merged = new LinkedHashMap<>();
    for (JsonNode tag : tags) {
      if (!tag.isObject() || !tag.path("key").isTextual()) {
        throw ApiErrors.serialization("Expected a tag object with a string 'key'");
      }
      JsonNode value = tag.get("value");
      merged.put(tag.get("key").textValue(), value == null || value.isNull() ? "" : value.asText());
    }
    return toTags(merged);
  }

  /** TagResource: adds tags or replaces the values of existing keys. */
  public CompletableFuture<ObjectNode> tag(ObjectNode request) {
    String arn = Requests.requiredString(request, "resourceArn");
    List<ResourceTag> added = readTags(request.get("tags"));
    return registry.mutate(() -> {
      StateMachineRecord record = resource(arn);
      Map<String, String> merged = toMap(record.getTagsList());
      added.forEach(tag -> merged.put(tag.getKey(), tag.getValue()));
      return write(record, merged);
    });
  }

  /** UntagResource: removes the given keys; unknown keys are ignored. */
  public CompletableFuture<ObjectNode> untag(ObjectNode request) {
    String arn = Requests.requiredString(request, "resourceArn");
    JsonNode keys = request.get("tagKeys");
    if (keys == null || keys.isNull()) {
      throw ApiErrors.missing("tagKeys");
    }
    if (!keys.isArray()) {
      throw ApiErrors.serialization("Expected a list for member 'tagKeys'");
    }
    return registry.mutate(() -> {
      StateMachineRecord record = resource(arn);
      Map<String, String> remaining = toMap(record.getTagsList());
      keys.forEach(key -> remaining.remove(key.asText()));
      return write(record, remaining);
    });
  }

  /** ListTagsForResource. */
  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    StateMachineRecord record = resource(Requests.requiredString(request, "resourceArn"));
    ObjectNode response = Json.MAPPER.createObjectNode();
    ArrayNode tags = response.putArray("tags");
    record.getTagsList().forEach(tag -> tags.addObject().put("key", tag.getKey()).put("value", tag.getValue()));
    return CompletableFuture.completedFuture(response);
  }

  private static Decision<ObjectNode> write(StateMachineRecord record, Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw new ApiException("TooManyTags", "Too many tags on resource '" + record.getArn() + "': at most " + MAX_TAGS);
    }
    StateMachineRecord updated = record.toBuilder().clearTags().addAllTags(toTags(tags)).build();
    return Decision.write(updated, Json.MAPPER.createObjectNode());
  }

  private StateMachineRecord resource(String arn) {
    return registry.find(arn).filter(r -> !r.getDeleted()).orElseThrow(() -> ApiErrors.resourceNotFound(arn));
  }

  private static Map<String, String> toMap(List<ResourceTag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    tags.forEach(tag -> map.put(tag.getKey(), tag.getValue()));
    return map;
  }

  private static List<ResourceTag> toTags(Map<String, String> tags) {
    List<ResourceTag> list = new ArrayList<>();
    tags.forEach((key, value) -> list.add(ResourceTag.newBuilder().setKey(key).setValue(value).build()));
    if (list.size() > MAX_TAGS) {
      throw new ApiException("TooManyTags", "Too many tags: at most " + MAX_TAGS);
    }
    return list;
  }
}
