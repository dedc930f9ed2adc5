package io.stepstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;

class TaskHandlersTest {

  private static final TaskHandler<JsonNode, JsonNode> ECHO = (input, context) -> input;

  @Test
  void shouldServeRegisteredHandlersAndEndpoints() {
    TaskHandlers handlers = TaskHandlers.builder()
        .register("charge", JsonNode.class, ECHO)
        .endpoint("ship_v2", URI.create("http://127.0.0.1:9/ship"))
        .build();

    assertThat(handlers.serves("charge")).isTrue();
    assertThat(handlers.serves("ship_v2")).isTrue();
    assertThat(handlers.serves("refund")).isFalse();
  }

  @Test
  void shouldRefuseNamesLambdaWouldRefuse() {
    // Each function has a queue named after it, so its name must also be a legal topic name.
    for (String name : new String[] {"", "a:b", "has space", "dotted.name", "x".repeat(65)}) {
      assertThat(TaskHandlers.isFunctionName(name)).as(name).isFalse();
      assertThatThrownBy(() -> TaskHandlers.builder().register(name, JsonNode.class, ECHO))
          .as(name).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TaskHandlers.builder().endpoint(name, URI.create("http://127.0.0.1:9/")))
          .as(name).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(TaskHandlers.isFunctionName("transcode-batch_2")).isTrue();
    assertThat(TaskHandlers.isFunctionName("x".repeat(64))).isTrue();
  }
}
