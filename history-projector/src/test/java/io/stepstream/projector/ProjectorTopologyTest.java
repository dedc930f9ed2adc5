package io.stepstream.projector;

import io.stepstream.kafka.ProtoSerde;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.proto.ExecutionFailedEventDetails;
import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSucceededEventDetails;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.StateEnteredEventDetails;
import io.stepstream.proto.WorkflowType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectorTopologyTest {

  private static final String STANDARD_EVENTS = "sfn.standard.events";
  private static final String EXPRESS_EVENTS = "sfn.express.events";
  private static final String REPLIES = "sfn.replies";
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  static final ProjectorSettings SETTINGS = new ProjectorSettings(List.of(STANDARD_EVENTS, EXPRESS_EVENTS),
      Duration.ofDays(90), Duration.ofDays(1), Duration.ofHours(1), 10_000, REPLIES, "sfn.maprun.status");

  private TopologyTestDriver driver;
  private TestInputTopic<String, HistoryEventBatch> standard;
  private TestInputTopic<String, HistoryEventBatch> express;
  private ProjectionReader reader;
  private TestOutputTopic<String, CommandReply> replies;

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projector-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(ProjectorTopology.build(SETTINGS), props, START);
    standard = driver.createInputTopic(STANDARD_EVENTS, Serdes.String().serializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).serializer());
    express = driver.createInputTopic(EXPRESS_EVENTS, Serdes.String().serializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).serializer());
    replies = driver.createOutputTopic(REPLIES, Serdes.String().deserializer(),
        new ProtoSerde<>(CommandReply.parser()).deserializer());
    KeyValueStore<Bytes, byte[]> listings = driver.getKeyValueStore(ProjectorStores.LISTINGS);
    reader = new ProjectionReader(() -> driver.getKeyValueStore(ProjectorStores.HISTORY),
        () -> driver.getKeyValueStore(ProjectorStores.EXECUTIONS), () -> List.of(listings));
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private static String execution(String name) {
    return "arn:aws:states:us-east-1:123456789012:execution:m:" + name;
  }

  private static HistoryEvent started(long startMs, String arn, String name) {
    return started(startMs, arn, name, WorkflowType.STANDARD);
  }

  private static HistoryEvent started(long startMs, String arn, String name, WorkflowType type) {
    return HistoryEvent.newBuilder().setId(1).setTimestampMs(startMs).setType(HistoryEventType.ExecutionStarted)
        .setExecutionStartedEventDetails(ExecutionStartedEventDetails.newBuilder().setInput("{\"a\":1}")
            .setExecutionArn(arn).setName(name).setStateMachineArn(MACHINE).setStateMachineRevision(1)
            .setType(type))
        .build();
  }

  private static HistoryEvent entered(long id, long timeMs) {
    return HistoryEvent.newBuilder().setId(id).setPreviousEventId(id - 1).setTimestampMs(timeMs)
        .setType(HistoryEventType.PassStateEntered)
        .setStateEnteredEventDetails(StateEnteredEventDetails.newBuilder().setName("S" + id).setInput("{}")).build();
  }

  private static HistoryEvent internal(long id, long timeMs) {
    return HistoryEvent.newBuilder().setId(id).setTimestampMs(timeMs).setType(HistoryEventType.TimerFired).build();
  }

  private static HistoryEvent succeeded(long id, long timeMs) {
    return HistoryEvent.newBuilder().setId(id).setPreviousEventId(id - 1).setTimestampMs(timeMs)
        .setType(HistoryEventType.ExecutionSucceeded)
        .setExecutionSucceededEventDetails(ExecutionSucceededEventDetails.newBuilder().setOutput("{\"ok\":true}"))
        .build();
  }

  private static HistoryEvent failed(long id, long timeMs) {
    return HistoryEvent.newBuilder().setId(id).setPreviousEventId(id - 1).setTimestampMs(timeMs)
        .setType(HistoryEventType.ExecutionFailed)
        .setExecutionFailedEventDetails(ExecutionFailedEventDetails.newBuilder().setError("E").setCause("C")).build();
  }

  private static HistoryEventBatch batch(HistoryEvent... events) {
    return HistoryEventBatch.newBuilder().addAllEvents(List.of(events)).build();
  }

  private static List<Long> ids(List<HistoryEvent> events) {
    return events.stream().map(HistoryEvent::getId).toList();
  }

  @Test
  void shouldKeepOnlyVisibleEventsInIdOrder() {
    String arn = execution("e1");
    standard.pipeInput(arn, batch(started(1000, arn, "e1"), entered(2, 1000)));
    standard.pipeInput(arn, batch(internal(3, 2000), entered(4, 2000), succeeded(5, 2000)));

    assertThat(ids(reader.events(arn, 0, 100, false))).containsExactly(1L, 2L, 4L, 5L);
    assertThat(reader.events(arn, 0, 100, false).get(1).getStateEnteredEventDetails().getName()).isEqualTo("S2");
  }

  @Test
  void shouldPageForwardAndBackwardFromAnExclusiveCursor() {
    String arn = execution("e1");
    standard.pipeInput(arn, batch(started(1000, arn, "e1"), entered(2, 1000), entered(3, 1000), entered(4, 1000),
        succeeded(5, 1000)));

    assertThat(ids(reader.events(arn, 0, 2, false))).containsExactly(1L, 2L);
    assertThat(ids(reader.events(arn, 2, 2, false))).containsExactly(3L, 4L);
    assertThat(ids(reader.events(arn, 4, 2, false))).containsExactly(5L);
    assertThat(ids(reader.events(arn, 0, 2, true))).containsExactly(5L, 4L);
    assertThat(ids(reader.events(arn, 4, 2, true))).containsExactly(3L, 2L);
    assertThat(ids(reader.events(arn, 2, 2, true))).containsExactly(1L);
  }

  @Test
  void shouldStoreOnePagePerBatchAndPageAcrossPagesFromAnyCursor() {
    String arn = execution("e1");
    // Pages of 2, 1, 4 and 3 visible events (ids 1-10; the internal event 6 is left out).
    standard.pipeInput(arn, batch(started(1000, arn, "e1"), entered(2, 1000)));
    standard.pipeInput(arn, batch(entered(3, 1000)));
    standard.pipeInput(arn, batch(entered(4, 1000), entered(5, 1000), internal(6, 1000), entered(7, 1000),
        entered(8, 1000)));
    standard.pipeInput(arn, batch(entered(9, 1000), entered(10, 1000), succeeded(11, 1000)));

    assertThat(storedValues()).isEqualTo(4);
    List<Long> all = List.of(1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L, 10L, 11L);
    for (int limit = 1; limit <= 11; limit++) {
      assertThat(pagedThrough(arn, limit, false)).as("forward, %d at a time", limit).isEqualTo(all);
      assertThat(pagedThrough(arn, limit, true)).as("backward, %d at a time", limit)
          .isEqualTo(all.reversed());
    }
    assertThat(ids(reader.events(arn, 4, 3, false))).containsExactly(5L, 7L, 8L);
    assertThat(ids(reader.events(arn, 8, 3, true))).containsExactly(7L, 5L, 4L);
    assertThat(ids(reader.events(arn, 6, 2, true))).containsExactly(5L, 4L);
    assertThat(ids(reader.events(arn, 11, 5, false))).isEmpty();
    assertThat(ids(reader.events(arn, 1, 5, true))).isEmpty();
  }

  /** The history store's values, each checked to be at most a page. */
  private int storedValues() {
    int values = 0;
    try (var it = driver.<Bytes, byte[]>getKeyValueStore(ProjectorStores.HISTORY).all()) {
      while (it.hasNext()) {
        assertThat(it.next().value.length).isLessThanOrEqualTo(HistoryPages.PAGE_BYTES);
        values++;
      }
    }
    return values;
  }

  /** Every event id, read page after page the way GetExecutionHistory's nextToken does. */
  private List<Long> pagedThrough(String arn, int limit, boolean reverse) {
    List<Long> ids = new java.util.ArrayList<>();
    long after = 0;
    while (true) {
      List<HistoryEvent> page = reader.events(arn, after, limit, reverse);
      ids.addAll(ids(page));
      if (page.size() < limit) {
        return ids;
      }
      after = page.getLast().getId();
    }
  }

  @Test
  void shouldSplitABatchLargerThanAPageIntoPagesReadInOrder() {
    String arn = execution("big");
    String input = "{\"text\":\"" + "x".repeat(60_000) + "\"}";
    HistoryEventBatch.Builder events = HistoryEventBatch.newBuilder().addEvents(started(1000, arn, "big"));
    for (int id = 2; id <= 20; id++) {
      events.addEvents(entered(id, 1000).toBuilder().setStateEnteredEventDetails(
          StateEnteredEventDetails.newBuilder().setName("S" + id).setInput(input)).build());
    }
    standard.pipeInput(arn, events.build());

    assertThat(storedValues()).isEqualTo(5);
    assertThat(pagedThrough(arn, 100, false)).hasSize(20).isSorted();
    assertThat(pagedThrough(arn, 3, true)).hasSize(20).isEqualTo(pagedThrough(arn, 7, false).reversed());
    assertThat(reader.events(arn, 0, 100, false).get(19).getStateEnteredEventDetails().getInput()).isEqualTo(input);
  }

  @Test
  void shouldReadTheEventsOfStoresWrittenBeforePagesBesideNewPages() {
    // Before pages, each visible event was its own value under its own id.
    String arn = execution("e1");
    KeyValueStore<Bytes, byte[]> history = driver.getKeyValueStore(ProjectorStores.HISTORY);
    history.put(StoreKeys.event(arn, 1), started(1000, arn, "e1").toByteArray());
    history.put(StoreKeys.event(arn, 2), entered(2, 1000).toByteArray());
    standard.pipeInput(arn, batch(started(1000, arn, "e1")));
    standard.pipeInput(arn, batch(entered(3, 1000), succeeded(4, 1000)));

    assertThat(pagedThrough(arn, 1, false)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(pagedThrough(arn, 3, true)).containsExactly(4L, 3L, 2L, 1L);
    assertThat(reader.events(arn, 1, 1, false).getFirst().getStateEnteredEventDetails().getName()).isEqualTo("S2");
  }

  @Test
  void shouldNotMixTheHistoriesOfArnsSharingAPrefix() {
    String shorter = execution("e1");
    String longer = execution("e10");
    standard.pipeInput(longer, batch(started(1000, longer, "e10"), entered(2, 1000)));
    standard.pipeInput(shorter, batch(started(1000, shorter, "e1")));

    assertThat(ids(reader.events(shorter, 0, 100, false))).containsExactly(1L);
    assertThat(ids(reader.events(shorter, 0, 100, true))).containsExactly(1L);
  }

  @Test
  void shouldFoldTheSummaryFromExecutionEvents() {
    String arn = execution("e1");
    standard.pipeInput(arn, batch(started(1000, arn, "e1"), entered(2, 1000)));
    assertThat(reader.summary(arn)).get().extracting(ExecutionSummary::getStatus).isEqualTo(ExecutionStatus.RUNNING);

    standard.pipeInput(arn, batch(internal(3, 2500), succeeded(4, 2500)));

    ExecutionSummary summary = reader.summary(arn).orElseThrow();
    assertThat(summary.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(summary.getName()).isEqualTo("e1");
    assertThat(summary.getStateMachineArn()).isEqualTo(MACHINE);
    assertThat(summary.getStartTimeMs()).isEqualTo(1000);
    assertThat(summary.getStopTimeMs()).isEqualTo(2500);
    assertThat(summary.getInput()).isEqualTo("{\"a\":1}");
    assertThat(summary.getOutput()).isEqualTo("{\"ok\":true}");
    assertThat(summary.getLastEventId()).isEqualTo(4);
  }

  @Test
  void shouldIgnoreARedeliveredBatch() {
    String arn = execution("e1");
    HistoryEventBatch first = batch(started(1000, arn, "e1"), entered(2, 1000));
    standard.pipeInput(arn, first);
    standard.pipeInput(arn, batch(failed(3, 2000)));
    standard.pipeInput(arn, first);

    assertThat(reader.summary(arn).orElseThrow().getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(reader.executions(MACHINE, ExecutionStatus.RUNNING, null, null, 10)).isEmpty();
  }

  @Test
  void shouldListNewestFirstWithStatusFilterAndCursor() {
    for (int i = 0; i < 5; i++) {
      String arn = execution("e" + i);
      standard.pipeInput(arn, batch(started(1000 + i, arn, "e" + i)));
      if (i % 2 == 0) {
        standard.pipeInput(arn, batch(succeeded(2, 5000)));
      }
    }

    List<ExecutionSummary> all = reader.executions(MACHINE, null, null, null, 10);
    assertThat(all).extracting(ExecutionSummary::getName).containsExactly("e4", "e3", "e2", "e1", "e0");
    assertThat(reader.executions(MACHINE, ExecutionStatus.SUCCEEDED, null, null, 10))
        .extracting(ExecutionSummary::getName).containsExactly("e4", "e2", "e0");
    assertThat(reader.executions(MACHINE, ExecutionStatus.RUNNING, null, null, 10))
        .extracting(ExecutionSummary::getName).containsExactly("e3", "e1");

    List<ExecutionSummary> first = reader.executions(MACHINE, null, null, null, 2);
    ExecutionSummary last = first.get(1);
    List<ExecutionSummary> second = reader.executions(MACHINE, null, null,
        new ListCursor(last.getStartTimeMs(), last.getExecutionArn()), 2);
    assertThat(first).extracting(ExecutionSummary::getName).containsExactly("e4", "e3");
    assertThat(second).extracting(ExecutionSummary::getName).containsExactly("e2", "e1");
    assertThat(reader.executions("arn:aws:states:us-east-1:123456789012:stateMachine:other", null, null, null, 10)).isEmpty();
  }

  @Test
  void shouldDropExecutionsOnceTheirRetentionHasPassed() {
    String old = execution("old");
    String running = execution("running");
    long startMs = START.toEpochMilli();
    standard.pipeInput(old, batch(started(startMs, old, "old"), succeeded(2, startMs)));
    standard.pipeInput(running, batch(started(startMs, running, "running")));
    String expressArn = "arn:aws:states:us-east-1:123456789012:express:m:x:1";
    express.pipeInput(expressArn, batch(started(startMs + Duration.ofDays(80).toMillis(), expressArn, "x", WorkflowType.EXPRESS),
        failed(2, startMs + Duration.ofDays(80).toMillis())));

    driver.advanceWallClockTime(Duration.ofDays(82));
    assertThat(reader.summary(expressArn)).isEmpty();
    assertThat(reader.summary(old)).isPresent();

    driver.advanceWallClockTime(Duration.ofDays(10));
    assertThat(reader.summary(old)).isEmpty();
    assertThat(reader.events(old, 0, 100, false)).isEmpty();
    assertThat(reader.executions(MACHINE, null, null, null, 10)).extracting(ExecutionSummary::getName)
        .containsExactly("running");
    assertThat(reader.events(running, 0, 100, false)).hasSize(1);
  }

  @Test
  void shouldBoundTheDeletionsOfOneSweep() {
    KeyValueStore<Bytes, byte[]> history = driver.getKeyValueStore(ProjectorStores.HISTORY);
    String arn = execution("big");
    // 30 batches of one event: 30 pages to delete.
    standard.pipeInput(arn, batch(started(1, arn, "big")));
    for (int id = 2; id < 30; id++) {
      standard.pipeInput(arn, batch(entered(id, 1)));
    }
    standard.pipeInput(arn, batch(succeeded(30, 1)));
    RetentionSweeper sweeper = new RetentionSweeper(new ProjectorStores(history,
        driver.getKeyValueStore(ProjectorStores.EXECUTIONS), driver.getKeyValueStore(ProjectorStores.LISTINGS),
        driver.getKeyValueStore(ProjectorStores.EXPIRY)), 10);

    long later = Duration.ofDays(100).toMillis();
    assertThat(sweeper.sweep(later)).isEqualTo(10);
    assertThat(reader.summary(arn)).isPresent();
    sweeper.sweep(later);
    sweeper.sweep(later);
    sweeper.sweep(later);
    assertThat(reader.summary(arn)).isEmpty();
    assertThat(reader.events(arn, 0, 100, false)).isEmpty();
  }

  @Test
  void shouldAnswerTheCallerOnlyOnceTheCommandsEventsAreProjected() {
    String arn = execution("replied");
    long now = START.toEpochMilli();
    CommandReply reply = CommandReply.newBuilder().setRequestId("r-1").setPartition(0).setExecutionArn(arn)
        .setDateMs(now).setCommandTimeMs(now).build();
    standard.pipeInput(arn, batch(started(now, arn, "replied")).toBuilder().setReply(reply).build(), now);

    // The reply is out, and the execution it answers for is readable.
    var out = replies.readKeyValue();
    assertThat(out.key).isEqualTo("r-1");
    assertThat(out.value).isEqualTo(reply);
    assertThat(reader.summary(arn)).hasValueSatisfying(s -> assertThat(s.getStatus()).isEqualTo(ExecutionStatus.RUNNING));

    // A rebuild reading old batches answers nobody.
    CommandReply stale = reply.toBuilder().setRequestId("r-old").setCommandTimeMs(now - Duration.ofHours(1).toMillis())
        .build();
    standard.pipeInput(arn, HistoryEventBatch.newBuilder().setReply(stale).build(), now);
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void shouldSummariseExpressExecutionsWhoseEventsAreNotLogged() {
    String arn = "arn:aws:states:us-east-1:123456789012:express:m:quiet:0f0f";
    long now = START.toEpochMilli();
    express.pipeInput(arn, HistoryEventBatch.newBuilder()
        .addSummaryEvents(started(now, arn, "quiet", WorkflowType.EXPRESS))
        .addSummaryEvents(succeeded(4, now + 5)).build(), now);

    assertThat(reader.summary(arn)).hasValueSatisfying(summary -> {
      assertThat(summary.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(summary.getInput()).isEqualTo("{\"a\":1}");
      assertThat(summary.getOutput()).isEqualTo("{\"ok\":true}");
    });
    assertThat(reader.events(arn, 0, 100, false)).isEmpty();
  }

  @Test
  void shouldListExpressExecutionsOnlyUnderTheMapRunThatStartedThem() {
    long now = START.toEpochMilli();
    String plain = "arn:aws:states:us-east-1:123456789012:express:m:plain:1";
    express.pipeInput(plain, batch(started(now, plain, "plain", WorkflowType.EXPRESS), succeeded(2, now)), now);
    String mapRun = "arn:aws:states:us-east-1:123456789012:mapRun:m/Map:run1";
    String child = "arn:aws:states:us-east-1:123456789012:express:m/Map:child:1";
    HistoryEvent childStarted = started(now, child, "child", WorkflowType.EXPRESS);
    childStarted = childStarted.toBuilder().setExecutionStartedEventDetails(
        childStarted.getExecutionStartedEventDetails().toBuilder().setMapRunArn(mapRun)).build();
    express.pipeInput(child, batch(childStarted, succeeded(2, now)), now);
    String standardArn = execution("s1");
    standard.pipeInput(standardArn, batch(started(now, standardArn, "s1"), succeeded(2, now)), now);

    // ListExecutions refuses EXPRESS state machines: only a map run lists EXPRESS executions.
    assertThat(reader.executions(MACHINE, null, null, null, 10)).extracting(ExecutionSummary::getName)
        .containsExactly("s1");
    assertThat(reader.executions(mapRun, null, null, null, 10)).extracting(ExecutionSummary::getName)
        .containsExactly("child");
    assertThat(reader.executions(mapRun, ExecutionStatus.SUCCEEDED, null, null, 10)).hasSize(1);
    assertThat(listingKeys()).isEqualTo(4);
  }

  @Test
  void shouldSweepTheListingKeysOfExpressExecutionsListedUnderTheirMachineBefore() {
    long now = START.toEpochMilli();
    String arn = "arn:aws:states:us-east-1:123456789012:express:m:old:1";
    express.pipeInput(arn, batch(started(now, arn, "old", WorkflowType.EXPRESS), succeeded(2, now)), now);
    ExecutionSummary summary = reader.summary(arn).orElseThrow();
    // As the projector listed an EXPRESS execution before: under its state machine too.
    KeyValueStore<Bytes, byte[]> listings = driver.getKeyValueStore(ProjectorStores.LISTINGS);
    for (Bytes key : ProjectionProcessor.everyListingKey(summary)) {
      listings.put(key, new byte[0]);
    }
    assertThat(listingKeys()).isEqualTo(2);

    driver.advanceWallClockTime(Duration.ofDays(2));
    assertThat(reader.summary(arn)).isEmpty();
    assertThat(listingKeys()).isZero();
  }

  private int listingKeys() {
    int keys = 0;
    try (var it = driver.<Bytes, byte[]>getKeyValueStore(ProjectorStores.LISTINGS).all()) {
      while (it.hasNext()) {
        it.next();
        keys++;
      }
    }
    return keys;
  }
}
