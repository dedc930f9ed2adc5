package io.stepstream.projector;

import io.stepstream.proto.CommandReply;
import io.stepstream.proto.MapRunSnapshot;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest snapshot of each map run (what DescribeMapRun and ListMapRuns answer), in the task
 * of its parent execution: snapshots are keyed by the parent's ARN, like its events. A snapshot that
 * answers an UpdateMapRun goes to the caller once stored.
 */
final class MapRunProjection implements Processor<String, MapRunSnapshot, String, CommandReply> {

  private ProcessorContext<String, CommandReply> context;
  private KeyValueStore<String, MapRunSnapshot> runs;

  /** The key of a map run by its ARN. */
  static String byArn(String mapRunArn) {
    return "r|" + mapRunArn;
  }

  /** The key of a map run under its parent execution (for ListMapRuns). */
  static String byExecution(String executionArn, String mapRunArn) {
    return "e|" + executionArn + "|" + mapRunArn;
  }

  @Override
  public void init(ProcessorContext<String, CommandReply> context) {
    this.context = context;
    this.runs = context.getStateStore(ProjectorStores.MAP_RUNS);
  }

  @Override
  public void process(Record<String, MapRunSnapshot> record) {
    MapRunSnapshot snapshot = record.value();
    if (snapshot == null) {
      return;
    }
    if (!snapshot.getExecutionArn().isEmpty()) {
      MapRunSnapshot stored = runs.get(byArn(snapshot.getMapRunArn()));
      if (stored == null || stored.getVersion() < snapshot.getVersion()) {
        MapRunSnapshot value = snapshot.toBuilder().clearReply().build();
        put(runs, value);
      }
    }
    if (snapshot.hasReply() && context.currentSystemTimeMs() - snapshot.getReply().getCommandTimeMs()
        < ProjectorSettings.REPLY_TTL.toMillis()) {
      context.forward(new Record<>(snapshot.getReply().getRequestId(), snapshot.getReply(), record.timestamp()));
    }
  }

  /** Stores a snapshot under both keys. */
  static void put(KeyValueStore<String, MapRunSnapshot> runs, MapRunSnapshot snapshot) {
    runs.put(byArn(snapshot.getMapRunArn()), snapshot);
    runs.put(byExecution(snapshot.getExecutionArn(), snapshot.getMapRunArn()), snapshot);
  }
}
