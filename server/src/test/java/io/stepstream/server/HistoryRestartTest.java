package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.gateway.api.Arns;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** The history of an execution stays readable after every process (broker and roles) restarted. */
class HistoryRestartTest {

  @TempDir
  Path dataDir;

  @Test
  void shouldReadTheSameHistoryAfterEveryProcessRestarted() {
    String execution;
    List<HistoryEvent> before;
    DescribeExecutionResponse describedBefore;
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint())) {
      String machine = HistorySfnClientTest.create(sfn, "restart", """
          {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
            "P": {"Type": "Pass", "End": true}}}""");
      execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"k\":1}")).executionArn();
      describedBefore = HistorySfnClientTest.awaitDone(sfn, execution);
      before = sfn.getExecutionHistory(b -> b.executionArn(execution)).events();
    }

    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint())) {
      List<HistoryEvent> after = sfn.getExecutionHistory(b -> b.executionArn(execution)).events();
      DescribeExecutionResponse describedAfter = sfn.describeExecution(b -> b.executionArn(execution));

      assertThat(before).hasSize(6);
      assertThat(after).isEqualTo(before);
      assertThat(describedAfter.equalsBySdkFields(describedBefore)).as("same description, field by field").isTrue();
    }
  }
}
