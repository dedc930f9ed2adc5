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
import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineVersions;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.Decision;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.tags.TagActions;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;
import io.stepstream.proto.WorkflowType;

/**
 * The state machine actions: Create, Describe, Update, Delete and List StateMachine(s).
 *
 * <p>Reads come from the registry's in-memory view; writes are registry
 * {@linkplain StateMachineRegistry#mutate mutations}, so every check-then-write is atomic across the
 * cluster. All methods run on an event loop and never block.
 */
public final class StateMachineActions {

  private final StateMachineRegistry registry;
  private final Arns arns;
  private final DefinitionValidation validation;
  private final Clock clock;

  /**
   * Creates the actions.
   *
   * @param registry where state machines live
   * @param arns region and account of the ARNs
   * @param validation validates definitions
   * @param clock stamps creation and update dates
   */
  public StateMachineActions(StateMachineRegistry registry, Arns arns, DefinitionValidation validation,
                             Clock clock) {
    this.registry = registry;
    this.arns = arns;
    this.validation = validation;
    this.clock = clock;
  }

  /**
   * CreateStateMachine: validates, then writes a new record (with version 1 when {@code publish}), or
   * returns the identical existing one.
   */
  public CompletableFuture<ObjectNode> create(ObjectNode request) {
    String name = Requests.requiredString(request, "name");
    String definition = Requests.requiredString(request, "definition");
    String roleArn = Requests.requiredString(request, "roleArn");
    WorkflowType type = type(Requests.optionalString(request, "type"));
    boolean publish = Requests.optionalBoolean(request, "publish", false);
    String versionDescription = versionDescription(request, publish);
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
    return registry.mutate(() -> {
      Optional<StateMachineRecord> existing = registry.findLive(created.getArn());
      if (existing.isPresent()) {
        StateMachineRecord current = existing.get();
        if (!sameConfiguration(current, created)) {
          throw ApiErrors.stateMachineAlreadyExists(current.getArn());
        }
        // The same request again: AWS's idempotency covers publish and versionDescription too.
        Optional<StateMachineVersion> published = StateMachineVersions.currentRevisionVersion(current);
        if (publish && published.filter(v -> v.getDescription().equals(orEmpty(versionDescription))).isEmpty()) {
          throw ApiErrors.stateMachineAlreadyExists(current.getArn());
        }
        return Decision.answer(createResponse(current, publish ? published.get() : null));
      }
      long now = clock.millis();
      StateMachineRecord record = created.setCreationDateMs(now).build();
      StateMachineRecord written = publish ? VersionPublishing.publish(record, versionDescription, now) : record;
      return Decision.write(written, createResponse(written, publish ? StateMachineVersions.latest(written) : null));
    });
  }

  /**
   * DescribeStateMachine, of a state machine or of one of its versions (as AWS, not of an alias:
   * an alias ARN names no state machine here).
   */
  public CompletableFuture<ObjectNode> describe(ObjectNode request) {
    String text = Requests.requiredString(request, "stateMachineArn");
    QualifiedArn arn = arns.requireQualified(text);
    if (arn.isVersion()) {
      return describeVersion(arn);
    }
    // A state machine created a moment ago on another instance is looked up at the registry's end.
    return registry.findLatest(text).thenApply(found -> describe(
        found.filter(r -> !r.getDeleted()).orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(text)), text));
  }

  private CompletableFuture<ObjectNode> describeVersion(QualifiedArn arn) {
    long number = arn.versionNumber();
    return registry.findLatest(arn.stateMachineArn(), m -> StateMachineVersions.version(m, number).isPresent())
        .thenApply(found -> {
          StateMachineVersion version = found.filter(r -> !r.getDeleted())
              .flatMap(m -> StateMachineVersions.version(m, number))
              .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn.value()));
          StateMachineRecord revision = registry.findRevision(arn.stateMachineArn(), version.getRevision())
              .orElseThrow(() -> ApiErrors.unavailable("The revision of " + arn + " is not readable here yet"));
          ObjectNode response = describe(revision, arn.value());
          response.set("creationDate", Requests.timestamp(version.getCreationDateMs()));
          if (!version.getDescription().isEmpty()) {
            response.put("description", version.getDescription());
          }
          return response;
        });
  }

  private ObjectNode describe(StateMachineRecord record, String arn) {
    ObjectNode response = Json.MAPPER.createObjectNode()
        .put("stateMachineArn", arn)
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

  /**
   * UpdateStateMachine: writes the next revision when something changed (as AWS, the same settings
   * again make no revision), and publishes it as a version when {@code publish} is set.
   */
  public CompletableFuture<ObjectNode> update(ObjectNode request) {
    String arn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    if (!arns.requireQualified(arn).isUnqualified()) {
      throw new ApiException("ValidationException", "Versions and aliases cannot be updated: '" + arn
          + "'. Update the state machine, then publish a version.");
    }
    boolean publish = Requests.optionalBoolean(request, "publish", false);
    String versionDescription = versionDescription(request, publish);
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
    return registry.mutate(() -> {
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
      long now = clock.millis();
      boolean changed = !next.build().equals(current);
      StateMachineRecord revised = changed
          ? next.setRevision(current.getRevision() + 1).setRevisionId(UUID.randomUUID().toString())
              .setUpdateDateMs(now).build()
          : current;
      Optional<StateMachineVersion> existing = StateMachineVersions.currentRevisionVersion(revised);
      boolean publishes = publish && existing.isEmpty();
      StateMachineRecord record = publishes ? VersionPublishing.publish(revised, versionDescription, now) : revised;
      StateMachineVersion version = publishes ? StateMachineVersions.latest(record) : existing.orElse(null);
      ObjectNode response = Json.MAPPER.createObjectNode();
      long updated = record.getUpdateDateMs() > 0 ? record.getUpdateDateMs() : record.getCreationDateMs();
      response.set("updateDate", Requests.timestamp(updated));
      if (record.getRevision() > 1) {
        response.put("revisionId", record.getRevisionId());
      }
      if (publish) {
        response.put("stateMachineVersionArn", QualifiedArn.version(arn, version.getNumber()));
      }
      return changed || publishes ? Decision.write(record, response) : Decision.answer(response);
    });
  }

  /**
   * DeleteStateMachine: marks the record deleted, with its versions and aliases (as AWS); deleting an
   * unknown state machine succeeds, as on AWS. Running executions keep their revision's record.
   */
  public CompletableFuture<ObjectNode> delete(ObjectNode request) {
    String arn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    return registry.mutate(() -> {
      Optional<StateMachineRecord> current = registry.findLive(arn);
      if (current.isEmpty()) {
        return Decision.answer(Json.MAPPER.createObjectNode());
      }
      StateMachineRecord deleted = current.get().toBuilder().setDeleted(true).clearVersions().clearAliases()
          .setUpdateDateMs(clock.millis()).build();
      return Decision.write(deleted, Json.MAPPER.createObjectNode());
    });
  }

  /** ListStateMachines: live state machines ordered by ARN, in pages. */
  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    int pageSize = Requests.pageSize(request);
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

  private static ObjectNode createResponse(StateMachineRecord record, StateMachineVersion version) {
    ObjectNode response = Json.MAPPER.createObjectNode().put("stateMachineArn", record.getArn());
    response.set("creationDate", Requests.timestamp(record.getCreationDateMs()));
    if (version != null) {
      response.put("stateMachineVersionArn", QualifiedArn.version(record.getArn(), version.getNumber()));
    }
    return response;
  }

  /** The {@code versionDescription} member, which AWS accepts only with {@code publish}. */
  private static String versionDescription(ObjectNode request, boolean publish) {
    String description = Requests.optionalString(request, "versionDescription", VersionActions.MAX_DESCRIPTION);
    if (description != null && !publish) {
      throw new ApiException("ValidationException", "Version description can only be set when publish is true");
    }
    return description;
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
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
