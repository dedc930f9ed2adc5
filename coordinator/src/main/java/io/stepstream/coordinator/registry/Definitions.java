package io.stepstream.coordinator.registry;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.proto.StateMachineRecord;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Function;

/**
 * Compiled definitions by (state machine ARN, revision), read from the registry's global store.
 *
 * <p>The registry keeps the current record under the ARN and every revision's record under
 * {@code ARN#revision} (see {@link #revisionKey}), so an execution keeps running the definition it
 * started with after an UpdateStateMachine. Definitions are compiled once per revision and cached for
 * the life of the processor. A state machine deleted and created again starts its revisions anew,
 * so a cached entry is used only while the registry still holds the same {@code revision_id}.
 */
public final class Definitions {

  /** Global store name. */
  public static final String STORE = "state-machines";

  private final Map<String, Compiled> compiled = new HashMap<>();

  private final Function<String, StateMachineRecord> registry;

  /** @param registry registry records by key (null when absent) */
  public Definitions(Function<String, StateMachineRecord> registry) {
    this.registry = registry;
  }

  /** The registry key of one revision of a state machine. */
  public static String revisionKey(String stateMachineArn, long revision) {
    return stateMachineArn + "#" + revision;
  }

  /** The compiled definition, or null when the registry has no such revision. */
  public StateMachineDefinition get(String stateMachineArn, long revision) {
    String key = revisionKey(stateMachineArn, revision);
    StateMachineRecord record = registry.apply(key);
    if (record == null) {
      record = registry.apply(stateMachineArn);
      if (record == null || record.getRevision() != revision) {
        return null;
      }
    }
    Compiled cached = compiled.get(key);
    if (cached == null || !cached.revisionId().equals(record.getRevisionId())) {
      cached = new Compiled(record.getRevisionId(), DefinitionCompiler.compile(record.getDefinition()));
      compiled.put(key, cached);
    }
    return cached.definition();
  }

  private record Compiled(String revisionId, StateMachineDefinition definition) {}
}
