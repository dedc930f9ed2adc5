package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcesTest {

  @Test
  void shouldSplitIntegrationPatternsOffServiceResources() {
    assertThat(Resources.pattern("arn:aws:states:::states:startExecution.sync:2")).isEqualTo(".sync:2");
    assertThat(Resources.base("arn:aws:states:::states:startExecution.sync")).isEqualTo("arn:aws:states:::states:startExecution");
    assertThat(Resources.base("arn:aws:states:::lambda:invoke.waitForTaskToken")).isEqualTo("arn:aws:states:::lambda:invoke");
    assertThat(Resources.pattern("arn:aws:lambda:us-east-1:123456789012:function:f")).isEmpty();
  }

  @Test
  void shouldRecogniseActivitiesAndFunctions() {
    assertThat(Resources.isActivity("arn:aws:states:us-east-1:123456789012:activity:review")).isTrue();
    assertThat(Resources.isActivity("arn:aws:states:::lambda:invoke")).isFalse();
    assertThat(FunctionResource.handles("arn:aws:lambda:us-east-1:123456789012:function:f")).isTrue();
    assertThat(FunctionResource.handles("arn:aws:states:::lambda:invoke")).isTrue();
    assertThat(FunctionResource.handles("arn:aws:states:::http:invoke")).isFalse();
  }
}
