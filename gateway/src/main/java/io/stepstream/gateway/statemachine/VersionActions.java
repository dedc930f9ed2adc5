package io.stepstream.gateway.statemachine;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.PageTokens;
import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineVersions;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.Decision;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

/**
 * PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion.
 *
 * <p>Versions live in their state machine's registry record (see {@link StateMachineVersions}), so
 * they are as durable and as visible on every instance as the state machine itself. Writes are
 * registry {@linkplain StateMachineRegistry#mutate mutations}, exact across the cluster; all methods
 * run on an event loop and never block.
 */
public final class VersionActions {

  /** AWS's limit on version and alias descriptions. */
  static final int MAX_DESCRIPTION = 256;
  /** The revision id a client names for a state machine never updated (AWS shows it none). */
  static final String INITIAL_REVISION = "INITIAL";

  private final StateMachineRegistry registry;
  private final Arns arns;
  private final Clock clock;

  /**
   * @param registry where state machines live
   * @param arns region and account of the ARNs
   * @param clock stamps creation dates
   */
  public VersionActions(StateMachineRegistry registry, Arns arns, Clock clock) {
    this.registry = registry;
    this.arns = arns;
    this.clock = clock;
  }

  /**
   * PublishStateMachineVersion: publishes the current revision, or returns the version already
   * published from it (AWS's idempotency), unless {@code revisionId} names another revision.
   */
  public CompletableFuture<ObjectNode> publish(ObjectNode request) {
    String arn = requireUnqualified(Requests.requiredString(request, "stateMachineArn"));
    String revisionId = Requests.optionalString(request, "revisionId");
    String description = Requests.optionalString(request, "description", MAX_DESCRIPTION);
    return registry.mutate(() -> {
      StateMachineRecord current = registry.findLive(arn).orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn));
      if (revisionId != null && !revisionId.equals(visibleRevisionId(current))) {
        throw ApiErrors.conflict("Failed to publish the State Machine version for revision " + revisionId
            + ". The current State Machine revision is " + visibleRevisionId(current) + ".");
      }
      var existing = StateMachineVersions.currentRevisionVersion(current);
      if (existing.isPresent()) {
        return Decision.answer(publishResponse(arn, existing.get()));
      }
      StateMachineRecord published = VersionPublishing.publish(current, description, clock.millis());
      return Decision.write(published, publishResponse(arn, StateMachineVersions.latest(published)));
    });
  }

  /** ListStateMachineVersions: newest first, in pages. */
  public CompletableFuture<ObjectNode> list(ObjectNode request) {
    String arn = requireUnqualified(Requests.requiredString(request, "stateMachineArn"));
    int pageSize = Requests.pageSize(request);
    String token = Requests.optionalString(request, "nextToken");
    long before = token == null ? Long.MAX_VALUE : versionsAfter(token, arn);
    return registry.findLatest(arn).thenApply(found -> {
      StateMachineRecord machine = found.filter(r -> !r.getDeleted())
          .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn));
      List<StateMachineVersion> versions = machine.getVersionsList().stream()
          .filter(v -> v.getNumber() < before)
          .sorted(Comparator.comparingLong(StateMachineVersion::getNumber).reversed())
          .toList();
      ObjectNode response = Json.object();
      ArrayNode items = response.putArray("stateMachineVersions");
      for (StateMachineVersion version : versions.subList(0, Math.min(pageSize, versions.size()))) {
        items.addObject().put("stateMachineVersionArn", QualifiedArn.version(arn, version.getNumber()))
            .set("creationDate", Requests.timestamp(version.getCreationDateMs()));
      }
      if (versions.size() > pageSize) {
        response.put("nextToken", PageTokens.encode("versions", arn,
            Long.toString(versions.get(pageSize - 1).getNumber())));
      }
      return response;
    });
  }

  /**
   * DeleteStateMachineVersion: refused while an alias routes to the version; a version (or state
   * machine) that does not exist is deleted already, as on AWS. Running executions of the version
   * go on: their revision's record stays.
   */
  public CompletableFuture<ObjectNode> delete(ObjectNode request) {
    String text = Requests.requiredString(request, "stateMachineVersionArn");
    QualifiedArn arn = arns.requireQualified(text);
    if (!arn.isVersion()) {
      throw ApiErrors.invalidArn("Invalid ARN: " + text + " is not a state machine version ARN");
    }
    return registry.mutate(() -> {
      var current = registry.findLive(arn.stateMachineArn());
      if (current.isEmpty() || StateMachineVersions.version(current.get(), arn.versionNumber()).isEmpty()) {
        return Decision.answer(Json.object());
      }
      StateMachineRecord machine = current.get();
      List<String> aliases = StateMachineVersions.aliasesRoutingTo(machine, arn.versionNumber());
      if (!aliases.isEmpty()) {
        throw ApiErrors.conflict("Version to be deleted must not be referenced by an alias. "
            + "Current list of aliases referencing this version: [" + String.join(", ", aliases) + "]");
      }
      StateMachineRecord.Builder next = machine.toBuilder().clearVersions();
      machine.getVersionsList().stream().filter(v -> v.getNumber() != arn.versionNumber()).forEach(next::addVersions);
      return Decision.write(next.build(), Json.object());
    });
  }

  /** The revision id AWS shows: none until the first update that changed something. */
  static String visibleRevisionId(StateMachineRecord machine) {
    return machine.getRevision() > 1 ? machine.getRevisionId() : INITIAL_REVISION;
  }

  private String requireUnqualified(String text) {
    QualifiedArn arn = arns.requireQualified(text);
    if (!arn.isUnqualified()) {
      throw ApiErrors.invalidArn("Invalid ARN: " + text + " is a version or alias ARN, not a state machine ARN");
    }
    return text;
  }

  private static ObjectNode publishResponse(String machineArn, StateMachineVersion version) {
    ObjectNode response = Json.object().put("stateMachineVersionArn", QualifiedArn.version(machineArn, version.getNumber()));
    response.set("creationDate", Requests.timestamp(version.getCreationDateMs()));
    return response;
  }

  private static long versionsAfter(String token, String machineArn) {
    String[] parts = PageTokens.decode(token, 3);
    if (!parts[0].equals("versions") || !parts[1].equals(machineArn)) {
      throw ApiErrors.invalidToken(token);
    }
    return PageTokens.number(token, parts[2]);
  }
}
