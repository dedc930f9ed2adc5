package io.stepstream.gateway.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.gateway.api.ApiException;
import org.junit.jupiter.api.Test;

class AslDefinitionValidationTest {

  private final AslDefinitionValidation validation = new AslDefinitionValidation();

  @Test
  void shouldAcceptAValidDefinition() {
    String definition = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
    assertThat(validation.validate(definition)).noneMatch(DefinitionDiagnostic::isError);
  }

  @Test
  void shouldRejectWithAwsInvalidDefinitionMessage() {
    String definition = "{\"StartAt\":\"WaitUntil\",\"States\":{\"WaitUntil\":{\"Type\":\"Wait\","
        + "\"Timestamp\":\"2016-03-14 01:59:00Z\",\"End\":true}}}";
    assertThatThrownBy(() -> validation.require(definition))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo("InvalidDefinition");
          assertThat(e.getMessage()).isEqualTo("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "
              + "String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp'");
        });
  }
}
