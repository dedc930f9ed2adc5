package io.stepstream.coordinator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.coordinator.CoordinatorTopics;
import io.stepstream.kafka.ProtoSerde;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.Command;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReplyTo;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.WorkflowType;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EXPRESS executions write history events only at their state machine's logging level. */
class ExpressLoggingTest {

  private static final CoordinatorTopics TOPICS = new CoordinatorTopics(
      "sfn.express.commands", "sfn.express.events", "sfn.tasks", "sfn.completions", "sfn.state-machines",
      "sfn.maprun.commands", "sfn.standard.commands", "sfn.express.commands", null);
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:x";
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final String SUCCEEDS = """
      {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";
  private static final String FAILS = """
      {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "b"}}}""";

  private TopologyTestDriver driver;
  private TestInputTopic<String, StateMachineRecord> registry;
  private TestInputTopic<String, Command> commands;
  private TestOutputTopic<String, HistoryEventBatch> events;
  private int executions;

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "express-logging-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(ExecutionTopology.build(TOPICS, new Interpreter(Limits.DEFAULT)), props, START);
    registry = driver.createInputTopic(TOPICS.stateMachines(), Serdes.String().serializer(),
        new ProtoSerde<>(StateMachineRecord.parser()).serializer());
    commands = driver.createInputTopic(TOPICS.commands(), Serdes.String().serializer(),
        new ProtoSerde<>(Command.parser()).serializer());
    events = driver.createOutputTopic(TOPICS.events(), Serdes.String().deserializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private List<HistoryEventType> run(String definition, String logging) {
    return run(definition, logging, false).stream().flatMap(batch -> batch.getEventsList().stream())
        .map(HistoryEvent::getType).toList();
  }

  /** Starts an execution; {@code waited} as StartExecution sends it (with a reply address), else as StartSyncExecution. */
  private List<HistoryEventBatch> run(String definition, String logging, boolean waited) {
    StateMachineRecord record = StateMachineRecord.newBuilder().setArn(MACHINE).setName("x")
        .setType(WorkflowType.EXPRESS).setDefinition(definition).setRevision(1).setRevisionId("r" + executions)
        .setLoggingConfiguration(logging).build();
    registry.pipeInput(Definitions.revisionKey(MACHINE, 1), record);
    registry.pipeInput(MACHINE, record);
    String execution = "arn:aws:states:us-east-1:123456789012:express:x:e" + executions + ":id";
    Command.Builder start = Command.newBuilder().setTimeMs(START.toEpochMilli()).setExecutionArn(execution)
        .setStartExecution(StartExecution.newBuilder().setName("e" + executions++).setStateMachineArn(MACHINE)
            .setStateMachineRevision(1).setType(WorkflowType.EXPRESS).setInput("{}"));
    if (waited) {
      start.setReplyTo(ReplyTo.newBuilder().setPartition(0).setRequestId("r"));
    }
    commands.pipeInput(execution, start.build());
    return events.readValuesToList();
  }

  @Test
  void shouldSummariseAnExecutionStartedWithStartExecutionWhateverTheLevel() {
    List<HistoryEventBatch> batches = run(SUCCEEDS, "", true);
    assertThat(batches).singleElement().satisfies(batch -> {
      assertThat(batch.getEventsList()).isEmpty();
      assertThat(batch.getSummaryEventsList()).extracting(HistoryEvent::getType)
          .containsExactly(HistoryEventType.ExecutionStarted, HistoryEventType.ExecutionSucceeded);
      assertThat(batch.getReply().getRequestId()).isEqualTo("r");
    });
    // A StartSyncExecution that ends at once writes nothing: its caller has the outcome.
    assertThat(run(SUCCEEDS, "", false)).isEmpty();
  }

  @Test
  void shouldLogNothingWithoutALoggingConfigurationOrAtOff() {
    assertThat(run(SUCCEEDS, "")).isEmpty();
    assertThat(run(FAILS, "{\"level\":\"OFF\",\"includeExecutionData\":false}")).isEmpty();
  }

  @Test
  void shouldLogEveryEventAtAll() {
    assertThat(run(SUCCEEDS, "{\"level\":\"ALL\",\"includeExecutionData\":true}"))
        .startsWith(HistoryEventType.ExecutionStarted, HistoryEventType.PassStateEntered,
            HistoryEventType.PassStateExited)
        .endsWith(HistoryEventType.ExecutionSucceeded);
  }

  @Test
  void shouldLogOnlyErrorEventsAtErrorAndFatal() {
    assertThat(run(SUCCEEDS, "{\"level\":\"ERROR\"}")).isEmpty();
    // AWS's ERROR level counts a Fail state's entry among the error events.
    assertThat(run(FAILS, "{\"level\":\"ERROR\"}"))
        .containsExactly(HistoryEventType.FailStateEntered, HistoryEventType.ExecutionFailed);
    assertThat(run(SUCCEEDS, "{\"level\":\"FATAL\"}")).isEmpty();
    assertThat(run(FAILS, "{\"level\":\"FATAL\"}")).containsExactly(HistoryEventType.ExecutionFailed);
  }
}
