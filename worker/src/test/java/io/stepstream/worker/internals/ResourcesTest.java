package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcesTest {

  @Test
  void shouldRecogniseFunctions() {
    assertThat(FunctionResource.handles("arn:aws:lambda:us-east-1:123456789012:function:f")).isTrue();
    assertThat(FunctionResource.handles("arn:aws:states:::lambda:invoke")).isTrue();
    assertThat(FunctionResource.handles("arn:aws:states:::http:invoke")).isFalse();
  }
}
