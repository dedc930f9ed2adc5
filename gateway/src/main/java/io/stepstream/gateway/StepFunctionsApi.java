package io.stepstream.gateway;

import java.time.Clock;

import io.stepstream.gateway.activity.ActivityActions;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.gateway.execution.RedriveActions;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.history.HistoryActions;
import io.stepstream.gateway.history.ListExecutionsAction;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.registry.WriteLane;
import io.stepstream.gateway.statemachine.DefinitionValidation;
import io.stepstream.gateway.statemachine.StateMachineActions;
import io.stepstream.gateway.statemachine.ValidationActions;
import io.stepstream.gateway.tags.TagActions;

/**
 * The Step Functions API of Stepstream, as one table: action name to handler.
 *
 * <p>Execution actions (StartExecution, StartSyncExecution, ...) join this table when the
 * coordinator exists; each family of actions is one class taking what it needs in its constructor.
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
   * @param clock stamps creation and update dates
   */
  public static ActionRegistry.Builder stateMachineActions(StateMachineRegistry registry, Arns arns,
                                                           DefinitionValidation validation, Clock clock) {
    WriteLane lane = new WriteLane();
    StateMachineActions stateMachines = new StateMachineActions(registry, lane, arns, validation, clock);
    ValidationActions validate = new ValidationActions(validation);
    TagActions tags = new TagActions(registry, lane);
    return ActionRegistry.builder()
        .on("CreateStateMachine", stateMachines::create)
        .on("DescribeStateMachine", stateMachines::describe)
        .on("UpdateStateMachine", stateMachines::update)
        .on("DeleteStateMachine", stateMachines::delete)
        .on("ListStateMachines", stateMachines::list)
        .on("ValidateStateMachineDefinition", validate::validate)
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

  /** Adds the execution actions to a table; DescribeExecution reads the coordinator's store. */
  public static ActionRegistry.Builder withExecutionActions(ActionRegistry.Builder table, ExecutionActions executions) {
    return commandActions(table, executions)
        .on("DescribeExecution", executions::describe)
        .on(Forwarder.INTERNAL + "DescribeExecution", executions.local()::describe);
  }

  /**
   * Adds the execution actions and the history reads to a table: DescribeExecution,
   * GetExecutionHistory, ListExecutions and DescribeStateMachineForExecution read the history
   * projector, and the {@code Internal.*} actions answer reads forwarded by other instances.
   */
  public static ActionRegistry.Builder withExecutionActions(ActionRegistry.Builder table, ExecutionActions executions,
      HistoryActions history, ListExecutionsAction list) {
    return commandActions(table, executions)
        .on("DescribeExecution", history::describeExecution)
        .on("GetExecutionHistory", history::getExecutionHistory)
        .on("DescribeStateMachineForExecution", history::describeStateMachineForExecution)
        .on("ListExecutions", list::listExecutions)
        .on(Forwarder.INTERNAL + "DescribeExecution", history::localDescribe)
        .on(Forwarder.INTERNAL + "GetExecutionHistory", history::localHistory)
        .on(Forwarder.INTERNAL + "DescribeStateMachineForExecution", history::localDescribeStateMachine)
        .on(Forwarder.INTERNAL + "ListExecutions", list::localListExecutions);
  }

  /**
   * The actions that write commands; each has an {@code Internal.*} twin answering requests that
   * another instance forwarded here because this one holds the execution.
   */
  private static ActionRegistry.Builder commandActions(ActionRegistry.Builder table, ExecutionActions executions) {
    ExecutionActions local = executions.local();
    return table
        .on(Forwarder.INTERNAL + "StartExecution", local::start)
        .on(Forwarder.INTERNAL + "StopExecution", local::stop)
        .on(Forwarder.INTERNAL + "SendTaskSuccess", local::sendTaskSuccess)
        .on(Forwarder.INTERNAL + "SendTaskFailure", local::sendTaskFailure)
        .on(Forwarder.INTERNAL + "SendTaskHeartbeat", local::sendTaskHeartbeat)
        .on("StartExecution", executions::start)
        .on("StartSyncExecution", executions::startSync)
        .on("StopExecution", executions::stop)
        .on("SendTaskSuccess", executions::sendTaskSuccess)
        .on("SendTaskFailure", executions::sendTaskFailure)
        .on("SendTaskHeartbeat", executions::sendTaskHeartbeat);
  }

  /** Adds RedriveExecution (and its {@code Internal.*} twin for forwarded requests) to a table. */
  public static ActionRegistry.Builder withRedriveActions(ActionRegistry.Builder table, RedriveActions redrives) {
    return table.on("RedriveExecution", redrives::redrive)
        .on(Forwarder.INTERNAL + "RedriveExecution", redrives.local()::redrive);
  }
}
