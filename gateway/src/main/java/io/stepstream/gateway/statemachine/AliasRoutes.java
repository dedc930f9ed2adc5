package io.stepstream.gateway.statemachine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineVersions;
import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineRecord;

/**
 * The {@code routingConfiguration} of CreateStateMachineAlias and UpdateStateMachineAlias, read and
 * checked as AWS checks it, with AWS's messages: one or two distinct version ARNs of one state
 * machine, weights from 0 to 100 summing to 100.
 *
 * @param stateMachineArn the state machine the versions belong to
 * @param routes the routes, in request order
 */
record AliasRoutes(String stateMachineArn, List<AliasRoute> routes) {

  private static final int MAX_ROUTES = 2;

  /**
   * Reads a routing configuration.
   *
   * @throws ApiException {@code ValidationException} for any broken rule, {@code SerializationException}
   *     for a wrong JSON shape
   */
  static AliasRoutes read(JsonNode member, Arns arns) {
    if (member == null || member.isNull()) {
      throw ApiErrors.missing("routingConfiguration");
    }
    if (!member.isArray()) {
      throw ApiErrors.serialization("Expected a list for member 'routingConfiguration'");
    }
    List<String> versionArns = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    for (JsonNode item : member) {
      JsonNode arn = item.get("stateMachineVersionArn");
      JsonNode weight = item.get("weight");
      if (arn == null || !arn.isTextual() || weight == null || !weight.isIntegralNumber() || !weight.canConvertToInt()) {
        throw ApiErrors.serialization(
            "Expected routingConfiguration items with a string stateMachineVersionArn and an integer weight");
      }
      versionArns.add(arn.textValue());
      weights.add(weight.intValue());
    }
    checkShape(versionArns, weights);
    if (new HashSet<>(versionArns).size() < versionArns.size()) {
      throw new ApiException("ValidationException",
          "Routing configuration must contain distinct state machine version ARNs. Received: " + versionArns);
    }
    List<QualifiedArn> versions = new ArrayList<>();
    for (String text : versionArns) {
      QualifiedArn arn = parseOrNull(text, arns);
      if (arn == null || !arn.isVersion()) {
        throw new ApiException("ValidationException",
            "Routing configuration must contain state machine version ARNs. Received: " + versionArns);
      }
      versions.add(arn);
    }
    String machine = versions.getFirst().stateMachineArn();
    if (versions.stream().anyMatch(v -> !v.stateMachineArn().equals(machine))) {
      throw new ApiException("ValidationException",
          "Routing configuration must contain versions of one state machine. Received: " + versionArns);
    }
    if (weights.stream().mapToInt(Integer::intValue).sum() != 100) {
      throw new ApiException("ValidationException",
          "Sum of routing configuration weights must equal 100. Received: " + weights);
    }
    List<AliasRoute> routes = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      routes.add(AliasRoute.newBuilder().setVersion(versions.get(i).versionNumber()).setWeight(weights.get(i)).build());
    }
    return new AliasRoutes(machine, List.copyOf(routes));
  }

  /**
   * Checks that every routed version is published on the state machine.
   *
   * @throws ApiException {@code ResourceNotFound} naming the first version that is not
   */
  void requirePublished(StateMachineRecord machine) {
    for (AliasRoute route : routes) {
      if (StateMachineVersions.version(machine, route.getVersion()).isEmpty()) {
        throw new ApiException("ResourceNotFound", "Request references a resource that does not exist: '"
            + QualifiedArn.version(stateMachineArn, route.getVersion()) + "'");
      }
    }
  }

  /** True when every routed version is published on the state machine. */
  boolean published(StateMachineRecord machine) {
    return routes.stream().allMatch(r -> StateMachineVersions.version(machine, r.getVersion()).isPresent());
  }

  /** The constraints of the API model (Coral's wording), checked before the rules. */
  private static void checkShape(List<String> versionArns, List<Integer> weights) {
    if (versionArns.isEmpty()) {
      throw ApiErrors.validation("'[]'", "routingConfiguration", "Member must have length greater than or equal to 1");
    }
    if (versionArns.size() > MAX_ROUTES) {
      String items = java.util.stream.IntStream.range(0, versionArns.size())
          .mapToObj(i -> "RoutingConfigurationListItem(stateMachineVersionArn=" + versionArns.get(i) + ", weight="
              + weights.get(i) + ")")
          .collect(Collectors.joining(", ", "[", "]"));
      throw ApiErrors.validation("'" + items + "'", "routingConfiguration",
          "Member must have length less than or equal to " + MAX_ROUTES);
    }
    for (int i = 0; i < weights.size(); i++) {
      int weight = weights.get(i);
      String field = "routingConfiguration." + (i + 1) + ".member.weight";
      if (weight > 100) {
        throw ApiErrors.validation("'" + weight + "'", field, "Member must have value less than or equal to 100");
      }
      if (weight < 0) {
        throw ApiErrors.validation("'" + weight + "'", field, "Member must have value greater than or equal to 0");
      }
    }
  }

  private static QualifiedArn parseOrNull(String text, Arns arns) {
    try {
      return arns.requireQualified(text);
    } catch (ApiException e) {
      return null;
    }
  }
}
