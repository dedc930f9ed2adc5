package io.stepstream.asl.definition;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.proto.StateMachineRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiled definitions by (state machine ARN, revision), read from the registry (the coordinator's
 * and the map-run service's global store, or a gateway's registry view).
 *
 * <p>The registry keeps the current record under the ARN and every revision's record under
 * {@code ARN#revision} (see {@link #revisionKey}), so an execution keeps running the definition it
 * started with after an UpdateStateMachine. Definitions are compiled once per revision; a hit costs
 * a hash lookup, no store read and no parsing. The global store's copier calls {@link #invalidate} for
 * every record it writes, so a state machine deleted and created again under the same name (its
 * revisions start anew) is compiled again. A Distributed Map's children name their state machine
 * {@code <machine>/<label>}: their definition is the Map state's processor in that revision. One instance per application, shared by the global thread
 * and the stream threads.
 */
public final class Definitions {

  private final Map<String, StateMachineDefinition> compiled = new ConcurrentHashMap<>();

  /** The registry key of one revision of a state machine. */
  public static String revisionKey(String stateMachineArn, long revision) {
    return stateMachineArn + "#" + revision;
  }

  /**
   * The compiled definition, or null when the registry has no such revision.
   *
   * @param registry registry records by key (null when absent), read only on a cache miss
   */
  public StateMachineDefinition get(String stateMachineArn, long revision, Function<String, StateMachineRecord> registry) {
    String key = revisionKey(stateMachineArn, revision);
    StateMachineDefinition cached = compiled.get(key);
    if (cached != null) {
      return cached;
    }
    String root = DistributedMaps.rootArn(stateMachineArn);
    if (!root.equals(stateMachineArn)) {
      // A Distributed Map's child runs the processor of the Map state its ARN's label names.
      StateMachineDefinition parent = get(root, revision, registry);
      StateMachineDefinition processor = parent == null ? null : DistributedMaps.processor(parent, stateMachineArn);
      if (processor != null) {
        compiled.put(key, processor);
      }
      return processor;
    }
    StateMachineRecord record = registry.apply(key);
    if (record == null) {
      record = registry.apply(stateMachineArn);
      if (record == null || record.getRevision() != revision) {
        return null;
      }
    }
    StateMachineDefinition definition = DefinitionCompiler.compile(record.getDefinition());
    compiled.put(key, definition);
    return definition;
  }

  /** Forgets what was compiled from a registry key (an ARN or an ARN#revision). */
  public void invalidate(String registryKey) {
    int separator = registryKey.indexOf('#');
    String arn = separator < 0 ? registryKey : registryKey.substring(0, separator);
    compiled.keySet().removeIf(key -> key.startsWith(arn + "#"));
  }
}
