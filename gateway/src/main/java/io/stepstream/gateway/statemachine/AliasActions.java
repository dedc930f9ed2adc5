package io.stepstream.gateway.statemachine;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.PageTokens;
import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineVersions;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.Decision;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;

/**
 * CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias,
 * ListStateMachineAliases and DeleteStateMachineAlias.
 *
 * <p>Aliases live in their state machine's registry record, like versions. Writes are registry
 * {@linkplain StateMachineRegistry#mutate mutations}, decided on a view that holds every write made
 * before, on any instance; a lookup of versions or aliases written a moment ago on another instance
 * first catches the registry up. All methods run on an event loop and never block.
 */
public final class AliasActions {

  private static final int MAX_NAME = 80;
  /** AWS's alias name pattern: letters, digits, {@code _ - .}, and not digits only (that would be a version). */
  private static final Pattern NAME = Pattern.compile("^(?=.*[a-zA-Z_\\-.])[a-zA-Z0-9_\\-.]+$");

  private final StateMachineRegistry registry;
  private final Arns arns;
  private final Clock clock;

  /**
   * @param registry where state machines live
   * @param arns region and account of the ARNs
   * @param clock stamps creation and update dates
   */
  public AliasActions(StateMachineRegistry registry, Arns arns, Clock clock) {
    this.registry = registry;
    this.arns = arns;
    this.clock = clock;
  }

  /**
   * CreateStateMachineAlias: the same request again returns the alias (AWS's idempotency); the same
   * name with another description or routing is a conflict.
   */
  public CompletableFuture<ObjectNode> create(ObjectNode request) {
    String name = requireName(Requests.optionalString(request, "name"));
    String description = orEmpty(Requests.optionalString(request, "description", VersionActions.MAX_DESCRIPTION));
    AliasRoutes routes = AliasRoutes.read(request.get("routingConfiguration"), arns);
    String machineArn = routes.stateMachineArn();
    String aliasArn = QualifiedArn.alias(machineArn, name);
    return registry.mutate(() -> {
      StateMachineRecord machine = registry.findLive(machineArn).orElseThrow(ApiErrors::referencedResourceNotFound);
      routes.requirePublished(machine);
      var existing = StateMachineVersions.alias(machine, name);
      if (existing.isPresent()) {
        StateMachineAlias alias = existing.get();
        if (!alias.getDescription().equals(description) || !alias.getRoutesList().equals(routes.routes())) {
          throw ApiErrors.conflict("Failed to create alias because an alias with the same name and a different "
              + "routing configuration already exists.");
        }
        return Decision.answer(createResponse(aliasArn, alias));
      }
      if (machine.getAliasesCount() >= VersionPublishing.MAX_ALIASES) {
        throw new ApiException("ServiceQuotaExceededException", "Failed to create alias " + name + ": a state machine "
            + "may have at most " + VersionPublishing.MAX_ALIASES + " aliases. Delete unused aliases with "
            + "DeleteStateMachineAlias.", 402);
      }
      long now = clock.millis();
      StateMachineAlias alias = StateMachineAlias.newBuilder().setName(name).setDescription(description)
          .addAllRoutes(routes.routes()).setCreationDateMs(now).setUpdateDateMs(now).build();
      return Decision.write(machine.toBuilder().addAliases(alias).build(), createResponse(aliasArn, alias));
    });
  }

  /** DescribeStateMachineAlias. */
  public CompletableFuture<ObjectNode> describe(ObjectNode request) {
    QualifiedArn arn = requireAlias(Requests.requiredString(request, "stateMachineAliasArn"));
    return registry.findLatest(arn.stateMachineArn(), m -> StateMachineVersions.alias(m, arn.qualifier()).isPresent())
        .thenApply(found -> {
          StateMachineAlias alias = found.filter(m -> !m.getDeleted())
              .flatMap(m -> StateMachineVersions.alias(m, arn.qualifier()))
              .orElseThrow(ApiErrors::referencedResourceNotFound);
          ObjectNode response = Json.object().put("stateMachineAliasArn", arn.value()).put("name", alias.getName());
          if (!alias.getDescription().isEmpty()) {
            response.put("description", alias.getDescription());
          }
          ArrayNode routing = response.putArray("routingConfiguration");
          for (AliasRoute route : alias.getRoutesList()) {
            routing.addObject()
                .put("stateMachineVersionArn", QualifiedArn.version(arn.stateMachineArn(), route.getVersion()))
                .put("weight", route.getWeight());
          }
          response.set("creationDate", Requests.timestamp(alias.getCreationDateMs()));
          response.set("updateDate", Requests.timestamp(alias.getUpdateDateMs()));
          return response;
        });
  }

  /** UpdateStateMachineAlias: replaces the description, the routing, or both. */
  public CompletableFuture<ObjectNode> update(ObjectNode request) {
    QualifiedArn arn = requireAlias(Requests.requiredString(request, "stateMachineAliasArn"));
    String description = Requests.optionalString(request, "description", VersionActions.MAX_DESCRIPTION);
    JsonNode routing = request.get("routingConfiguration");
    AliasRoutes routes = routing == null || routing.isNull() ? null : AliasRoutes.read(routing, arns);
    if (description == null && routes == null) {
      throw new ApiException("ValidationException",
          "Either the description or the RoutingConfiguration must be specified");
    }
    if (routes != null && !routes.stateMachineArn().equals(arn.stateMachineArn())) {
      throw new ApiException("ValidationException", "Routing configuration must contain versions of the alias's "
          + "state machine " + arn.stateMachineArn());
    }
    return registry.mutate(() -> {
      StateMachineRecord machine = registry.findLive(arn.stateMachineArn())
          .orElseThrow(ApiErrors::referencedResourceNotFound);
      int index = indexOf(machine, arn.qualifier());
      if (index < 0) {
        throw ApiErrors.referencedResourceNotFound();
      }
      if (routes != null) {
        routes.requirePublished(machine);
      }
      StateMachineAlias.Builder alias = machine.getAliases(index).toBuilder().setUpdateDateMs(clock.millis());
      if (description != null) {
        alias.setDescription(description);
      }
      if (routes != null) {
        alias.clearRoutes().addAllRoutes(routes.routes());
      }
      StateMachineAlias updated = alias.build();
      return Decision.write(machine.toBuilder().setAliases(index, updated).build(),
          Json.object().set("updateDate", Requests.timestamp(updated.getUpdateDateMs())));
    });
  }

  /** DeleteStateMachineAlias: an alias that does not exist is deleted already, as on AWS; its versions stay. */
  public CompletableFuture<ObjectNode> delete(ObjectNode request) {
    QualifiedArn arn = requireAlias(Requests.requiredString(request, "stateMachineAliasArn"));
    return registry.mutate(() -> {
      var machine = registry.findLive(arn.stateMachineArn());
      int index = machine.map(m -> indexOf(m, arn.qualifier())).orElse(-1);
      if (index < 0) {
        return Decision.answer(Json.object());
      }
      return Decision.write(machine.get().toBuilder().removeAliases(index).build(), Json.object());
    });
  }

  /**
   * ListStateMachineAliases: the aliases of a state machine, or (given a version ARN) those routing to
   * that version; oldest first, as AWS answered when recorded, in pages.
   */
  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    String text = Requests.requiredString(request, "stateMachineArn");
    QualifiedArn arn = arns.requireQualified(text);
    if (arn.isAlias()) {
      throw ApiErrors.invalidArn("Invalid ARN: " + text + " is an alias ARN; give a state machine or version ARN");
    }
    int pageSize = Requests.pageSize(request);
    String token = Requests.optionalString(request, "nextToken");
    String[] after = token == null ? null : aliasesAfter(token, text);
    return registry.findLatest(arn.stateMachineArn(), m -> !arn.isVersion()
        || StateMachineVersions.version(m, arn.versionNumber()).isPresent()).thenApply(found -> {
          StateMachineRecord machine = found.filter(m -> !m.getDeleted())
              .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn.stateMachineArn()));
          if (arn.isVersion() && StateMachineVersions.version(machine, arn.versionNumber()).isEmpty()) {
            throw ApiErrors.referencedResourceNotFound();
          }
          List<StateMachineAlias> aliases = machine.getAliasesList().stream()
              .filter(a -> !arn.isVersion() || a.getRoutesList().stream().anyMatch(r -> r.getVersion() == arn.versionNumber()))
              .sorted(Comparator.comparingLong(StateMachineAlias::getCreationDateMs).thenComparing(StateMachineAlias::getName))
              .filter(a -> after == null || a.getCreationDateMs() > Long.parseLong(after[0])
                  || a.getCreationDateMs() == Long.parseLong(after[0]) && a.getName().compareTo(after[1]) > 0)
              .toList();
          ObjectNode response = Json.object();
          ArrayNode items = response.putArray("stateMachineAliases");
          for (StateMachineAlias alias : aliases.subList(0, Math.min(pageSize, aliases.size()))) {
            items.addObject().put("stateMachineAliasArn", QualifiedArn.alias(arn.stateMachineArn(), alias.getName()))
                .set("creationDate", Requests.timestamp(alias.getCreationDateMs()));
          }
          if (aliases.size() > pageSize) {
            StateMachineAlias last = aliases.get(pageSize - 1);
            response.put("nextToken", PageTokens.encode("aliases", text, Long.toString(last.getCreationDateMs()),
                last.getName()));
          }
          return response;
        });
  }

  private QualifiedArn requireAlias(String text) {
    QualifiedArn arn = arns.requireQualified(text);
    if (!arn.isAlias()) {
      throw ApiErrors.invalidArn("Invalid ARN: " + text + " is not a state machine alias ARN");
    }
    return arn;
  }

  private static String requireName(String name) {
    if (name == null) {
      throw ApiErrors.missing("name");
    }
    if (name.isEmpty()) {
      throw ApiErrors.validation("''", "name", "Member must have length greater than or equal to 1");
    }
    if (name.length() > MAX_NAME) {
      throw ApiErrors.validation("'" + name + "'", "name", "Member must have length less than or equal to " + MAX_NAME);
    }
    if (!NAME.matcher(name).matches()) {
      throw ApiErrors.validation("'" + name + "'", "name",
          "Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
    }
    return name;
  }

  private static int indexOf(StateMachineRecord machine, String name) {
    for (int i = 0; i < machine.getAliasesCount(); i++) {
      if (machine.getAliases(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static ObjectNode createResponse(String aliasArn, StateMachineAlias alias) {
    ObjectNode response = Json.object().put("stateMachineAliasArn", aliasArn);
    response.set("creationDate", Requests.timestamp(alias.getCreationDateMs()));
    return response;
  }

  private static String[] aliasesAfter(String token, String arn) {
    String[] parts = PageTokens.decode(token, 4);
    if (!parts[0].equals("aliases") || !parts[1].equals(arn)) {
      throw ApiErrors.invalidToken(token);
    }
    PageTokens.number(token, parts[2]);
    return new String[] {parts[2], parts[3]};
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }
}
