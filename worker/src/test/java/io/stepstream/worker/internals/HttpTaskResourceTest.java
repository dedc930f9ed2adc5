package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import org.junit.jupiter.api.Test;

class HttpTaskResourceTest {

  private static final String VALUE = "{\"a\": [\"x\", \"y\"], \"b\": \"c d\", \"o\": {\"k\": 1}}";

  @Test
  void shouldEncodeArraysWithIndicesByDefault() {
    assertThat(HttpTaskResource.encode(Json.parse(VALUE), "INDICES"))
        .isEqualTo("a%5B0%5D=x&a%5B1%5D=y&b=c+d&o%5Bk%5D=1");
  }

  @Test
  void shouldEncodeArraysAsRepeatedKeysCommasOrBrackets() {
    assertThat(HttpTaskResource.encode(Json.parse(VALUE), "REPEAT")).startsWith("a=x&a=y&");
    assertThat(HttpTaskResource.encode(Json.parse(VALUE), "COMMAS")).startsWith("a=x%2Cy&");
    assertThat(HttpTaskResource.encode(Json.parse(VALUE), "BRACKETS")).startsWith("a%5B%5D=x&a%5B%5D=y&");
  }
}
