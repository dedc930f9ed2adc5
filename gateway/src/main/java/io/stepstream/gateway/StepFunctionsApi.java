package io.stepstream.gateway;

import java.time.Clock;

import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.gateway.activity.ActivityActions;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.gateway.execution.RedriveActions;
import io.stepstream.gateway.history.HistoryActions;
import io.stepstream.gateway.history.ListExecutionsAction;
import io.stepstream.gateway.history.MapRunActions;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.statemachine.AliasActions;
import io.stepstream.gateway.statemachine.DefinitionValidation;
import io.stepstream.gateway.statemachine.StateMachineActions;
import io.stepstream.gateway.statemachine.TestStateActions;
import io.stepstream.gateway.statemachine.ValidationActions;
import io.stepstream.gateway.statemachine.VersionActions;
import io.stepstream.gateway.tags.TagActions;

/**
 * The Step Functions API of Stepstream, as one table: action name to handler.
 *
 * <p>Each family of actions is one class taking what it needs in its constructor. The public table
 * never holds an {@code Internal.*} action: those are served by {@link #internalActions} and
 * {@link #internalActivityActions} on the internal listener only.
 */
public final class StepFunctionsApi {

  private StepFunctionsApi() {
  }

  /**
   * Returns a builder holding every action that needs no execution; callers may add more.
   *
   * @param registry the state machine registry
   * @param arns region and account of ARNs
   * @param validation validates definitions
   * @param testStateTasks runs the resource of a Task state that TestState tests without a mock
   * @param clock stamps creation and update dates
   */
  public static ActionRegistry.Builder stateMachineActions(StateMachineRegistry registry, Arns arns,
                                                           DefinitionValidation validation, TaskInvoker testStateTasks,
                                                           Clock clock) {
    StateMachineActions stateMachines = new StateMachineActions(registry, arns, validation, clock);
    ValidationActions validate = new ValidationActions(validation);
    TagActions tags = new TagActions(registry);
    TestStateActions testState = new TestStateActions(Limits.DEFAULT, testStateTasks, arns, clock);
    VersionActions versions = new VersionActions(registry, arns, clock);
    AliasActions aliases = new AliasActions(registry, arns, clock);
    return ActionRegistry.builder()
        .on("CreateStateMachine", stateMachines::create)
        .on("DescribeStateMachine", stateMachines::describe)
        .on("UpdateStateMachine", stateMachines::update)
        .on("DeleteStateMachine", stateMachines::delete)
        .on("ListStateMachines", stateMachines::list)
        .on("PublishStateMachineVersion", versions::publish)
        .on("ListStateMachineVersions", versions::list)
        .on("DeleteStateMachineVersion", versions::delete)
        .on("CreateStateMachineAlias", aliases::create)
        .on("DescribeStateMachineAlias", aliases::describe)
        .on("UpdateStateMachineAlias", aliases::update)
        .on("ListStateMachineAliases", aliases::list)
        .on("DeleteStateMachineAlias", aliases::delete)
        .on("ValidateStateMachineDefinition", validate::validate)
        .on("TestState", testState::testState)
        .on("TagResource", tags::tag)
        .on("UntagResource", tags::untag)
        .on("ListTagsForResource", tags::list);
  }

  /** Adds the activity actions to a table. */
  public static ActionRegistry.Builder withActivityActions(ActionRegistry.Builder table, ActivityActions activities) {
    return table
        .on("CreateActivity", activities::create)
        .on("DeleteActivity", activities::delete)
        .on("DescribeActivity", activities::describe)
        .on("ListActivities", activities::list)
        .on("GetActivityTask", activities::getTask);
  }

  /** Adds the execution writes to a table: each answers once its owner decided (see ExecutionActions). */
  public static ActionRegistry.Builder withExecutionActions(ActionRegistry.Builder table, ExecutionActions executions,
      RedriveActions redrives) {
    return table
        .on("StartExecution", executions::start)
        .on("StartSyncExecution", executions::startSync)
        .on("StopExecution", executions::stop)
        .on("SendTaskSuccess", executions::sendTaskSuccess)
        .on("SendTaskFailure", executions::sendTaskFailure)
        .on("SendTaskHeartbeat", executions::sendTaskHeartbeat)
        .on("RedriveExecution", redrives::redrive);
  }

  /** Adds the execution reads to the public table: each is answered by the instance holding the execution. */
  public static ActionRegistry.Builder withHistoryActions(ActionRegistry.Builder table, HistoryActions history,
      ListExecutionsAction list) {
    return table
        .on("DescribeExecution", history::describeExecution)
        .on("GetExecutionHistory", history::getExecutionHistory)
        .on("DescribeStateMachineForExecution", history::describeStateMachineForExecution)
        .on("ListExecutions", list::listExecutions);
  }

  /** Adds the map-run actions (Distributed Map) to the public table. */
  public static ActionRegistry.Builder withMapRunActions(ActionRegistry.Builder table, MapRunActions mapRuns) {
    return table
        .on("DescribeMapRun", mapRuns::describeMapRun)
        .on("ListMapRuns", mapRuns::listMapRuns)
        .on("UpdateMapRun", mapRuns::updateMapRun);
  }

  /**
   * The gateway's table on the internal listener: the activity polls other gateways forward to the one
   * holding the activity's tasks.
   */
  public static ActionRegistry internalActivityActions(ActivityActions activities) {
    return ActionRegistry.builder()
        .on(Forwarder.INTERNAL + "GetActivityTask", activities::localGetTask)
        .build();
  }

  /**
   * The projector's table on the internal listener: the reads other instances forward to the one
   * holding the data.
   * Served on its own port, never on the public API port.
   */
  public static ActionRegistry internalActions(HistoryActions history, ListExecutionsAction list,
      MapRunActions mapRuns) {
    return ActionRegistry.builder()
        .on(Forwarder.INTERNAL + "DescribeExecution", history::localDescribe)
        .on(Forwarder.INTERNAL + "GetExecutionHistory", history::localHistory)
        .on(Forwarder.INTERNAL + "ListExecutions", list::localListExecutions)
        .on(Forwarder.INTERNAL + "DescribeMapRun", mapRuns::localDescribeMapRun)
        .on(Forwarder.INTERNAL + "ListMapRuns", mapRuns::localListMapRuns)
        .build();
  }
}
