package io.stepstream.coordinator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.coordinator.CoordinatorTopics;
import io.stepstream.coordinator.execution.ExecutionStore;
import io.stepstream.kafka.ProtoSerde;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.proto.ReplyTo;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StopExecution;
import io.stepstream.proto.WorkflowType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecutionTopologyTest {

  private static final CoordinatorTopics TOPICS = new CoordinatorTopics(
      "sfn.standard.commands", "sfn.standard.events", "sfn.tasks", "sfn.completions", "sfn.state-machines",
      "sfn.maprun.commands", "sfn.standard.commands", "sfn.express.commands", "sfn.replies");
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:m:e1";
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, StateMachineRecord> registry;
  private TestInputTopic<String, Command> commands;
  private TestOutputTopic<String, HistoryEventBatch> events;
  private TestOutputTopic<String, CommandReply> replies;
  private TestOutputTopic<String, DispatchTask> tasks;
  private TestOutputTopic<String, ReportCompletion> completions;

  @BeforeEach
  void setUp() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "coordinator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(ExecutionTopology.build(TOPICS, new Interpreter(Limits.DEFAULT)), props, START);
    registry = driver.createInputTopic(TOPICS.stateMachines(), Serdes.String().serializer(),
        new ProtoSerde<>(StateMachineRecord.parser()).serializer());
    commands = driver.createInputTopic(TOPICS.commands(), Serdes.String().serializer(),
        new ProtoSerde<>(Command.parser()).serializer());
    replies = driver.createOutputTopic(TOPICS.replies(), Serdes.String().deserializer(),
        new ProtoSerde<>(CommandReply.parser()).deserializer());
    events = driver.createOutputTopic(TOPICS.events(), Serdes.String().deserializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).deserializer());
    tasks = driver.createOutputTopic(TOPICS.tasks(), Serdes.String().deserializer(),
        new ProtoSerde<>(DispatchTask.parser()).deserializer());
    completions = driver.createOutputTopic(TOPICS.completions(), Serdes.String().deserializer(),
        new ProtoSerde<>(ReportCompletion.parser()).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void register(String definition) {
    registry.pipeInput(Definitions.revisionKey(MACHINE, 1), StateMachineRecord.newBuilder()
        .setArn(MACHINE).setName("m").setType(WorkflowType.STANDARD).setDefinition(definition).setRevision(1).build());
  }

  private void start(String input) {
    commands.pipeInput(EXECUTION, Command.newBuilder().setTimeMs(START.toEpochMilli()).setExecutionArn(EXECUTION)
        .setStartExecution(StartExecution.newBuilder().setName("e1").setStateMachineArn(MACHINE)
            .setStateMachineRevision(1).setType(WorkflowType.STANDARD).setInput(input)).build());
  }

  private ExecutionState stored() {
    KeyValueStore<String, ExecutionState> store = driver.getKeyValueStore(ExecutionStore.NAME);
    return store.get(EXECUTION);
  }

  @Test
  void shouldFireAWaitTimerFromTheWallClockPunctuator() {
    register("""
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "P"},
          "P": {"Type": "Pass", "Result": "done", "End": true}}}""");
    start("{}");
    assertThat(completions.isEmpty()).isTrue();
    assertThat(stored().getStatus()).isEqualTo(ExecutionStatus.RUNNING);

    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(completions.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(6));

    ReportCompletion completion = completions.readValue();
    assertThat(completion.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(completion.getOutput()).isEqualTo("\"done\"");
    List<HistoryEventType> types = events.readValuesToList().stream()
        .flatMap(batch -> batch.getEventsList().stream()).map(HistoryEvent::getType).toList();
    assertThat(types).containsExactly(HistoryEventType.ExecutionStarted, HistoryEventType.WaitStateEntered,
        HistoryEventType.WaitStateExited, HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited,
        HistoryEventType.ExecutionSucceeded);
  }

  @Test
  void shouldDispatchATaskAndFinishWithTheReportedResult() {
    register("""
        {"StartAt": "T", "States": {"T": {"Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}}""");
    start("{\"a\": 1}");

    DispatchTask task = tasks.readValue();
    assertThat(task.getInput()).contains(task.getTaskToken());
    commands.pipeInput(EXECUTION, Command.newBuilder().setTimeMs(START.toEpochMilli() + 10).setExecutionArn(EXECUTION)
        .setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(task.getTaskToken())
            .setOutput("{\"ok\":true}")).build());

    assertThat(completions.readValue().getOutput()).isEqualTo("{\"ok\":true}");
    assertThat(stored().getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  /**
   * An execution started through the API has no parent: its end is reported to its completion
   * record only, never as a task result sent to the commands topic of some parent.
   */
  @Test
  void shouldReportTheEndOfAnExecutionWithoutAParentToNoOne() {
    register("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");
    TestOutputTopic<String, Command> sentCommands = driver.createOutputTopic(TOPICS.standardCommands(),
        Serdes.String().deserializer(), new ProtoSerde<>(Command.parser()).deserializer());
    start("{}");

    assertThat(completions.readValue().getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(sentCommands.readValuesToList()).isEmpty();
    assertThat(stored().hasParentTask()).isFalse();
    assertThat(events.readValue().getEvents(0).getExecutionStartedEventDetails().hasParentTask()).isFalse();
  }

  @Test
  void shouldHoldAStartUntilItsDefinitionReachesTheRegistry() {
    start("{}");
    driver.advanceWallClockTime(Duration.ofMillis(500));
    assertThat(completions.isEmpty()).isTrue();

    register("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}""");
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(completions.readValue().getOutput()).isEqualTo("1");
  }

  @Test
  void shouldIgnoreARedeliveredStartOfTheSameExecution() {
    register("""
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}""");
    start("{}");
    start("{}");

    assertThat(events.readValuesToList()).hasSize(1);
  }

  private Command.Builder withReply(Command.Builder command, String requestId) {
    return command.setTimeMs(START.toEpochMilli()).setExecutionArn(EXECUTION)
        .setReplyTo(ReplyTo.newBuilder().setPartition(3).setRequestId(requestId));
  }

  @Test
  void shouldAnswerAWaitingCallerInTheTransactionOfTheCommandsEvents() {
    register("""
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}""");
    StartExecution.Builder start = StartExecution.newBuilder().setName("e1").setStateMachineArn(MACHINE)
        .setStateMachineRevision(1).setType(WorkflowType.STANDARD).setInput("{\"a\":1}");
    commands.pipeInput(EXECUTION, withReply(Command.newBuilder().setStartExecution(start), "first").build());

    HistoryEventBatch started = events.readValue();
    assertThat(started.getEventsList()).extracting(HistoryEvent::getType).contains(HistoryEventType.ExecutionStarted);
    assertThat(started.hasReply()).isFalse();
    TestRecord<String, CommandReply> first = replies.readRecord();
    assertThat(first.key()).isEqualTo("first");
    assertThat(first.value().getRequestId()).isEqualTo("first");
    assertThat(first.value().getPartition()).isEqualTo(3);
    assertThat(first.value().getError()).isEmpty();
    assertThat(first.value().getDateMs()).isEqualTo(START.toEpochMilli());

    // The same name and input again: accepted, with the original start, and nothing else happens.
    commands.pipeInput(EXECUTION, withReply(Command.newBuilder().setStartExecution(start), "again")
        .setTimeMs(START.toEpochMilli() + 500).build());
    assertThat(events.isEmpty()).isTrue();
    CommandReply again = replies.readValue();
    assertThat(again.getError()).isEmpty();
    assertThat(again.getDateMs()).isEqualTo(START.toEpochMilli());

    // Other input: refused; the stored execution is untouched.
    ExecutionState before = stored();
    commands.pipeInput(EXECUTION, withReply(Command.newBuilder().setStartExecution(start.clone()
        .setInput("{\"a\":2}")), "other").build());
    CommandReply other = replies.readValue();
    assertThat(other.getError()).isEqualTo("ExecutionAlreadyExists");
    assertThat(stored()).isEqualTo(before);
    assertThat(events.isEmpty()).isTrue();
    assertThat(replies.isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseCommandsForAnExecutionItHasNeverSeen() {
    register("""
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}""");
    commands.pipeInput(EXECUTION, withReply(Command.newBuilder().setStopExecution(StopExecution.newBuilder()), "stop")
        .build());
    commands.pipeInput(EXECUTION, withReply(Command.newBuilder().setReportTaskSucceeded(
        ReportTaskSucceeded.newBuilder().setTaskToken("t").setOutput("{}")), "task").build());
    // A command nobody waits for is dropped silently, as before.
    commands.pipeInput(EXECUTION, Command.newBuilder().setTimeMs(START.toEpochMilli()).setExecutionArn(EXECUTION)
        .setStopExecution(StopExecution.newBuilder()).build());

    assertThat(replies.readValuesToList()).extracting(CommandReply::getError)
        .containsExactly("ExecutionDoesNotExist", "TaskDoesNotExist");
    assertThat(events.isEmpty()).isTrue();
    assertThat(stored()).isNull();
  }
}
