package io.stepstream.gateway.statemachine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.Requests;

/** ValidateStateMachineDefinition: the diagnostics of a definition, without creating anything. */
public final class ValidationActions {

  private static final int DEFAULT_MAX_RESULTS = 100;

  private final DefinitionValidation validation;

  /** Creates the action over a validator. */
  public ValidationActions(DefinitionValidation validation) {
    this.validation = validation;
  }

  /**
   * ValidateStateMachineDefinition: {@code result} OK or FAIL, the diagnostics at or above the
   * requested {@code severity} (ERROR by default), at most {@code maxResults} of them.
   */
  public CompletableFuture<ObjectNode> validate(ObjectNode request) {
    String definition = Requests.requiredString(request, "definition");
    String severity = Requests.optionalString(request, "severity");
    if (severity != null && !severity.equals("ERROR") && !severity.equals("WARNING")) {
      throw ApiErrors.validation("'" + severity + "'", "severity", "Member must satisfy enum value set: [ERROR, WARNING]");
    }
    int maxResults = Requests.optionalInt(request, "maxResults", 0);
    if (maxResults < 0 || maxResults > DEFAULT_MAX_RESULTS) {
      throw ApiErrors.validation("'" + maxResults + "'", "maxResults",
          "Member must have value less than or equal to " + DEFAULT_MAX_RESULTS);
    }
    int limit = maxResults == 0 ? DEFAULT_MAX_RESULTS : maxResults;
    boolean warnings = "WARNING".equals(severity);
    List<DefinitionDiagnostic> all = validation.validate(definition);
    List<DefinitionDiagnostic> shown = all.stream().filter(d -> warnings || d.isError()).toList();
    ObjectNode response = Json.MAPPER.createObjectNode()
        .put("result", all.stream().anyMatch(DefinitionDiagnostic::isError) ? "FAIL" : "OK");
    ArrayNode diagnostics = response.putArray("diagnostics");
    for (DefinitionDiagnostic d : shown.subList(0, Math.min(limit, shown.size()))) {
      ObjectNode item = diagnostics.addObject().put("severity", d.severity()).put("code", d.code()).put("message", d.message());
      if (d.location() != null) {
        item.put("location", d.location());
      }
    }
    response.put("truncated", shown.size() > limit);
    return CompletableFuture.completedFuture(response);
  }
}
