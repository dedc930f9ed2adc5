package io.stepstream.asl.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskResourceArnTest {

  @Test
  void shouldSplitIntegrationPatternsOffServiceResources() {
    assertThat(TaskResourceArn.pattern("arn:aws:states:::states:startExecution.sync:2")).isEqualTo(".sync:2");
    assertThat(TaskResourceArn.base("arn:aws:states:::states:startExecution.sync"))
        .isEqualTo("arn:aws:states:::states:startExecution");
    assertThat(TaskResourceArn.base("arn:aws:states:::lambda:invoke.waitForTaskToken"))
        .isEqualTo("arn:aws:states:::lambda:invoke");
    assertThat(TaskResourceArn.pattern("arn:aws:lambda:us-east-1:123456789012:function:f")).isEmpty();
  }

  @Test
  void shouldRecogniseActivities() {
    assertThat(TaskResourceArn.isActivity("arn:aws:states:us-east-1:123456789012:activity:review")).isTrue();
    assertThat(TaskResourceArn.isActivity("arn:aws:states:::lambda:invoke")).isFalse();
  }
}
