package io.stepstream.projector;

import io.stepstream.asl.interpreter.HistoryView;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.MapRunCounts;
import io.stepstream.proto.MapRunSnapshot;
import io.stepstream.proto.MapRunStatus;
import io.stepstream.proto.WorkflowType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbing of the projection: for each batch of an execution's events, store the AWS-visible ones
 * as pages under (ARN, id of the page's last event) ({@link HistoryPages}), fold the summary, and
 * keep the listing and expiry keys in step with it. A wall-clock punctuator drops expired executions
 * ({@link RetentionSweeper}).
 *
 * <p>Redelivered batches (EXPRESS events are written at least once) change nothing: events at or
 * below the summary's last event id are skipped.
 */
final class ProjectionProcessor implements Processor<String, HistoryEventBatch, String, CommandReply> {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionProcessor.class);
  private static final byte[] PRESENT = new byte[0];

  private final ProjectorSettings settings;
  private final ProjectedOffsets offsets;
  private ProjectorStores stores;
  private ProcessorContext<String, CommandReply> context;
  private Cancellable sweep;
  private KeyValueStore<String, MapRunSnapshot> mapRuns;

  ProjectionProcessor(ProjectorSettings settings, ProjectedOffsets offsets) {
    this.settings = settings;
    this.offsets = offsets;
  }

  @Override
  public void init(ProcessorContext<String, CommandReply> context) {
    this.context = context;
    mapRuns = context.getStateStore(ProjectorStores.MAP_RUNS);
    stores = new ProjectorStores(context.getStateStore(ProjectorStores.HISTORY),
        context.getStateStore(ProjectorStores.EXECUTIONS), context.getStateStore(ProjectorStores.LISTINGS),
        context.getStateStore(ProjectorStores.EXPIRY));
    RetentionSweeper sweeper = new RetentionSweeper(stores, settings.sweepBudget());
    sweep = context.schedule(settings.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, sweeper::sweep);
  }

  @Override
  public void process(Record<String, HistoryEventBatch> record) {
    if (record.key() == null || record.value() == null) {
      LOG.warn("Dropping an event batch without key or value");
      projected();
      return;
    }
    String executionArn = record.key();
    ExecutionSummary before = stores.executions().get(executionArn);
    if (before == null) {
      before = ExecutionSummary.getDefaultInstance();
    }
    ExecutionSummary summary = before;
    for (HistoryEvent event : inIdOrder(record.value())) {
      if (event.getId() <= summary.getLastEventId()) {
        continue;
      }
      summary = SummaryApplier.apply(summary, executionArn, event);
    }
    List<HistoryEvent> visible = new ArrayList<>(record.value().getEventsCount());
    for (HistoryEvent event : record.value().getEventsList()) {
      if (event.getId() > before.getLastEventId() && HistoryView.isVisible(event)) {
        visible.add(event);
        if (event.getType() == HistoryEventType.MapRunStarted) {
          recordMapRun(executionArn, event);
        }
      }
    }
    for (HistoryPages.Page page : HistoryPages.pages(visible)) {
      stores.history().put(StoreKeys.event(executionArn, page.lastEventId()), page.value());
    }
    if (summary != before) {
      stores.executions().put(executionArn, summary);
      replace(stores.listings(), listingKeys(before), listingKeys(summary));
      replace(stores.expiry(), expiryKeys(before), expiryKeys(summary));
    }
    projected();
    // The reply goes out after the stores hold the command's events: whoever reads after the caller
    // got its answer finds them here.
    if (record.value().hasReply() && settings.repliesTopic() != null) {
      CommandReply reply = record.value().getReply();
      if (context.currentSystemTimeMs() - reply.getCommandTimeMs() < ProjectorSettings.REPLY_TTL.toMillis()) {
        context.forward(new Record<>(reply.getRequestId(), reply, record.timestamp()));
      }
    }
  }

  /** The stores hold the current record: reads waiting for it may go (ProjectionBarrier). */
  private void projected() {
    context.recordMetadata().ifPresent(at -> offsets.processed(at.topic(), at.partition(), at.offset()));
  }

  /**
   * A map run appears in the projection with its parent's MapRunStarted: whoever saw that event in
   * the history finds the run with DescribeMapRun, before the map-run service's first snapshot.
   */
  private void recordMapRun(String executionArn, HistoryEvent event) {
    String mapRunArn = event.getMapRunStartedEventDetails().getMapRunArn();
    if (mapRuns.get(MapRunProjection.byArn(mapRunArn)) == null) {
      MapRunProjection.put(mapRuns, MapRunSnapshot.newBuilder().setMapRunArn(mapRunArn).setExecutionArn(executionArn)
          .setStateMachineArn(MapRunNames.processorArn(mapRunArn))
          .setStatus(MapRunStatus.MAP_RUN_RUNNING).setStartTimeMs(event.getTimestampMs())
          .setItems(MapRunCounts.getDefaultInstance()).setExecutions(MapRunCounts.getDefaultInstance()).build());
    }
  }

  /** The batch's history and summary-only events, merged by id (each list is in id order). */
  private static List<HistoryEvent> inIdOrder(HistoryEventBatch batch) {
    if (batch.getSummaryEventsCount() == 0) {
      return batch.getEventsList();
    }
    List<HistoryEvent> all = new ArrayList<>(batch.getEventsList());
    all.addAll(batch.getSummaryEventsList());
    all.sort(Comparator.comparingLong(HistoryEvent::getId));
    return all;
  }

  private static void replace(KeyValueStore<Bytes, byte[]> store, Set<Bytes> before, Set<Bytes> after) {
    for (Bytes key : before) {
      if (!after.contains(key)) {
        store.delete(key);
      }
    }
    for (Bytes key : after) {
      if (!before.contains(key)) {
        store.put(key, PRESENT);
      }
    }
  }

  /**
   * The listing keys of a summary: under each ARN it is listed by, one under "any status" and one
   * under its status. A STANDARD execution is listed by its state machine, and by the version or
   * alias it was started through; an EXPRESS one only by its map run, if a map run started it:
   * ListExecutions refuses EXPRESS state machines (as AWS does), so those keys would never be read;
   * they were half of what the projector wrote for an asynchronous EXPRESS execution.
   */
  static Set<Bytes> listingKeys(ExecutionSummary summary) {
    Set<Bytes> keys = new HashSet<>();
    if (summary.getExecutionArn().isEmpty() || summary.getStateMachineArn().isEmpty()) {
      return keys;
    }
    List<String> listedUnder = summary.getType() == WorkflowType.EXPRESS ? List.of(summary.getMapRunArn())
        : List.of(summary.getStateMachineArn(), summary.getMapRunArn(), summary.getStateMachineVersionArn(),
            summary.getStateMachineAliasArn());
    for (String arn : listedUnder) {
      if (!arn.isEmpty()) {
        keys.add(StoreKeys.listing(arn, StoreKeys.ANY_STATUS, summary.getStartTimeMs(), summary.getExecutionArn()));
        keys.add(StoreKeys.listing(arn, StoreKeys.status(summary.getStatus()), summary.getStartTimeMs(),
            summary.getExecutionArn()));
      }
    }
    return keys;
  }

  /**
   * Every listing key a summary may have been stored under, whatever its type: EXPRESS executions
   * projected before {@link #listingKeys} left their state machine out were listed under it too.
   */
  static Set<Bytes> everyListingKey(ExecutionSummary summary) {
    return listingKeys(summary.getType() == WorkflowType.EXPRESS
        ? summary.toBuilder().setType(WorkflowType.STANDARD).build() : summary);
  }

  private Set<Bytes> expiryKeys(ExecutionSummary summary) {
    Set<Bytes> keys = new HashSet<>();
    if (summary.getStopTimeMs() > 0) {
      long retention = (summary.getType() == WorkflowType.EXPRESS ? settings.expressRetention()
          : settings.standardRetention()).toMillis();
      keys.add(StoreKeys.expiry(summary.getStopTimeMs() + retention, summary.getExecutionArn()));
    }
    return keys;
  }

  @Override
  public void close() {
    offsets.released(settings.eventTopics(), context.taskId().partition());
    if (sweep != null) {
      sweep.cancel();
    }
  }
}
