package io.stepstream.gateway.statemachine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.logging.LoggingConfiguration;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Names;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.registry.WriteLane;
import io.stepstream.gateway.tags.TagActions;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.WorkflowType;

/**
 * The state machine actions: Create, Describe, Update, Delete and List StateMachine(s).
 *
 * <p>Reads come from the registry's in-memory view; writes go through the {@link WriteLane}, so
 * every check-then-write on this instance is atomic. All methods run on an event loop and never block.
 */
public final class StateMachineActions {

  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  private final StateMachineRegistry registry;
  private final WriteLane lane;
  private final Arns arns;
  private final DefinitionValidation validation;
  private final Clock clock;

  /**
   * Creates the actions.
   *
   * @param registry where state machines live
   * @param lane serialises writes; share it with every other writer of the registry
   * @param arns region and account of the ARNs
   * @param validation validates definitions
   * @param clock stamps creation and update dates
   */
  public StateMachineActions(StateMachineRegistry registry, WriteLane lane, Arns arns, DefinitionValidation validation,
                             Clock clock) {
    this.registry = registry;
    this.lane = lane;
    this.arns = arns;
    this.validation = validation;
    this.clock = clock;
  }

  /** CreateStateMachine: validates, then writes a new record, or returns the identical existing one. */
  public CompletableFuture<ObjectNode> create(ObjectNode request) {
    String name = Requests.requiredString(request, "name");
    String definition = Requests.requiredString(request, "definition");
    String roleArn = Requests.requiredString(request, "roleArn");
    WorkflowType type = type(Requests.optionalString(request, "type"));
    Names.require(name);
    validation.require(definition);
    StateMachineRecord.Builder created = StateMachineRecord.newBuilder()
        .setArn(arns.stateMachine(name))
        .setName(name)
        .setType(type)
        .setDefinition(definition)
        .setRoleArn(roleArn)
        .setRevision(1)
        .setRevisionId(UUID.randomUUID().toString())
        .setLoggingConfiguration(loggingText(request.get("loggingConfiguration")))
        .setTracingConfiguration(tracingText(request.get("tracingConfiguration")))
        .addAllTags(TagActions.readTags(request.get("tags")));
    return lane.submit(() -> {
      Optional<StateMachineRecord> existing = registry.find(created.getArn()).filter(r -> !r.getDeleted());
      if (existing.isPresent()) {
        StateMachineRecord current = existing.get();
        if (!sameConfiguration(current, created)) {
          throw ApiErrors.stateMachineAlreadyExists(current.getArn());
        }
        return CompletableFuture.completedFuture(createResponse(current));
      }
      StateMachineRecord record = created.setCreationDateMs(clock.millis()).build();
      return registry.put(record).thenApply(ignored -> createResponse(record));
    });
  }

  /** DescribeStateMachine. */
  public CompletableFuture<ObjectNode> describe(ObjectNode request) {
    String arn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    // A state machine created a moment ago on another instance is looked up at the registry's end.
    return registry.findLatest(arn).thenApply(found -> describe(
        found.filter(r -> !r.getDeleted()).orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn))));
  }

  private ObjectNode describe(StateMachineRecord record) {
    ObjectNode response = Json.MAPPER.createObjectNode()
        .put("stateMachineArn", record.getArn())
        .put("name", record.getName())
        .put("status", "ACTIVE")
        .put("definition", record.getDefinition())
        .put("roleArn", record.getRoleArn())
        .put("type", record.getType().name());
    response.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    response.set("loggingConfiguration", configuration(record.getLoggingConfiguration(), defaultLogging()));
    response.set("tracingConfiguration",
        configuration(record.getTracingConfiguration(), Json.MAPPER.createObjectNode().put("enabled", false)));
    if (record.getRevision() > 1) {
      response.put("revisionId", record.getRevisionId());
    }
    return response;
  }

  /** UpdateStateMachine: writes the next revision. */
  public CompletableFuture<ObjectNode> update(ObjectNode request) {
    String arn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    String definition = Requests.optionalString(request, "definition");
    String roleArn = Requests.optionalString(request, "roleArn");
    JsonNode logging = request.get("loggingConfiguration");
    JsonNode tracing = request.get("tracingConfiguration");
    if (definition == null && roleArn == null && isAbsent(logging) && isAbsent(tracing)) {
      throw new ApiException("MissingRequiredParameter",
          "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
    }
    if (definition != null) {
      validation.require(definition);
    }
    String loggingText = isAbsent(logging) ? null : loggingText(logging);
    String tracingText = isAbsent(tracing) ? null : tracingText(tracing);
    return lane.submit(() -> {
      StateMachineRecord current = live(arn);
      StateMachineRecord.Builder next = current.toBuilder();
      if (definition != null) {
        next.setDefinition(definition);
      }
      if (roleArn != null) {
        next.setRoleArn(roleArn);
      }
      if (loggingText != null) {
        next.setLoggingConfiguration(loggingText);
      }
      if (tracingText != null) {
        next.setTracingConfiguration(tracingText);
      }
      StateMachineRecord record = next.setRevision(current.getRevision() + 1)
          .setRevisionId(UUID.randomUUID().toString())
          .setUpdateDateMs(clock.millis())
          .build();
      return registry.put(record).thenApply(ignored -> {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.set("updateDate", Requests.timestamp(record.getUpdateDateMs()));
        response.put("revisionId", record.getRevisionId());
        return response;
      });
    });
  }

  /** DeleteStateMachine: marks the record deleted; deleting an unknown state machine succeeds, as on AWS. */
  public CompletableFuture<ObjectNode> delete(ObjectNode request) {
    String arn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    return lane.submit(() -> {
      Optional<StateMachineRecord> current = registry.find(arn).filter(r -> !r.getDeleted());
      if (current.isEmpty()) {
        return CompletableFuture.completedFuture(Json.MAPPER.createObjectNode());
      }
      StateMachineRecord deleted = current.get().toBuilder().setDeleted(true).setUpdateDateMs(clock.millis()).build();
      return registry.put(deleted).thenApply(ignored -> Json.MAPPER.createObjectNode());
    });
  }

  /** ListStateMachines: live state machines ordered by ARN, in pages. */
  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    int maxResults = Requests.optionalInt(request, "maxResults", 0);
    if (maxResults < 0 || maxResults > MAX_PAGE) {
      throw ApiErrors.validation("'" + maxResults + "'", "maxResults",
          "Member must have value less than or equal to " + MAX_PAGE);
    }
    int pageSize = maxResults == 0 ? DEFAULT_PAGE : maxResults;
    String token = Requests.optionalString(request, "nextToken");
    String after = token == null ? null : decodeToken(token);
    List<StateMachineRecord> live = registry.all().stream()
        .filter(r -> !r.getDeleted())
        .filter(r -> after == null || r.getArn().compareTo(after) > 0)
        .toList();
    ObjectNode response = Json.MAPPER.createObjectNode();
    ArrayNode items = response.putArray("stateMachines");
    for (StateMachineRecord record : live.subList(0, Math.min(pageSize, live.size()))) {
      ObjectNode item = items.addObject()
          .put("stateMachineArn", record.getArn())
          .put("name", record.getName())
          .put("type", record.getType().name());
      item.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    }
    if (live.size() > pageSize) {
      response.put("nextToken", encodeToken(live.get(pageSize - 1).getArn()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private StateMachineRecord live(String arn) {
    arns.requireStateMachine(arn);
    return registry.find(arn).filter(r -> !r.getDeleted())
        .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn));
  }

  private static WorkflowType type(String text) {
    if (text == null) {
      return WorkflowType.STANDARD;
    }
    return switch (text) {
      case "STANDARD" -> WorkflowType.STANDARD;
      case "EXPRESS" -> WorkflowType.EXPRESS;
      default -> throw ApiErrors.validation("'" + text + "'", "type",
          "Member must satisfy enum value set: [STANDARD, EXPRESS]");
    };
  }

  private static boolean sameConfiguration(StateMachineRecord current, StateMachineRecord.Builder requested) {
    return current.getDefinition().equals(requested.getDefinition())
        && current.getRoleArn().equals(requested.getRoleArn())
        && current.getType() == requested.getType()
        && current.getLoggingConfiguration().equals(requested.getLoggingConfiguration())
        && current.getTracingConfiguration().equals(requested.getTracingConfiguration());
  }

  private static ObjectNode createResponse(StateMachineRecord record) {
    ObjectNode response = Json.MAPPER.createObjectNode().put("stateMachineArn", record.getArn());
    response.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    return response;
  }

  private static ObjectNode defaultLogging() {
    return Json.MAPPER.createObjectNode().put("level", "OFF").put("includeExecutionData", false);
  }

  private static JsonNode configuration(String stored, ObjectNode fallback) {
    if (stored.isEmpty()) {
      return fallback;
    }
    return Json.parse(stored);
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }

  /**
   * A requested loggingConfiguration, checked as AWS checks it ({@link LoggingConfiguration#check}),
   * stored as DescribeStateMachine shows it: level and includeExecutionData always present.
   */
  private static String loggingText(JsonNode node) {
    if (isAbsent(node)) {
      return "";
    }
    if (!node.isObject()) {
      throw ApiErrors.serialization("Expected an object");
    }
    LoggingConfiguration.check(node).ifPresent(invalid -> {
      throw new ApiException(invalid.type(), invalid.message());
    });
    ObjectNode stored = Json.MAPPER.createObjectNode()
        .put("level", node.path("level").asText("OFF"))
        .put("includeExecutionData", node.path("includeExecutionData").asBoolean(false));
    if (node.path("destinations").size() > 0) {
      stored.set("destinations", node.get("destinations"));
    }
    return Json.write(stored);
  }

  /** A requested tracingConfiguration: {@code enabled} must be a boolean, as the API model says. */
  private static String tracingText(JsonNode node) {
    if (isAbsent(node)) {
      return "";
    }
    JsonNode enabled = node.get("enabled");
    if (node.isObject() && enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
      throw ApiErrors.serialization("NUMBER_VALUE can not be converted to a Boolean");
    }
    return jsonText(node);
  }

  private static String jsonText(JsonNode node) {
    if (isAbsent(node)) {
      return "";
    }
    if (!node.isObject()) {
      throw ApiErrors.serialization("Expected an object");
    }
    return Json.write(node);
  }

  private static String encodeToken(String arn) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + arn).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith("after:")) {
        return text.substring("after:".length());
      }
    } catch (IllegalArgumentException e) {
      // Not base64: answered below like any other foreign token.
    }
    throw ApiErrors.invalidToken(token);
  }
}
