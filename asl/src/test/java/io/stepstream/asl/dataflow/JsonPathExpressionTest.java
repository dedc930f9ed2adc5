package io.stepstream.asl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathExpressionTest {

  private static EvaluationScope scope(JsonNode input) {
    return new EvaluationScope(input, Json.object(), name -> null, new SplittableRandom(1), null, null);
  }

  /** An input whose only key is {@code key}, holding "found". */
  private static ObjectNode inputWithKey(String key) {
    ObjectNode input = Json.object();
    input.put(key, "found");
    return input;
  }

  // Each row: the path as written in a definition (the JSON string's characters), the key it must read.
  @ParameterizedTest(name = "{0} reads the key {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "$['a\\b']           | a\\b",
      "$['C:\\temp\\new']  | C:\\temp\\new",
      "$[\"it's\"]         | it's",
      "$['x\\'y']          | x\\'y",
      "$['say \"hi\"']     | say \"hi\"",
      "$[\"q\\\"\"]        | q\\\"",
      "$['a]b']            | a]b",
      "$['tab\\t']         | tab\\t",
      "$['']               | ``"})
  void shouldTakeTheCharactersBetweenTheQuotesOfABracketedNameLiterally(String path, String key) {
    JsonPathExpression expression = JsonPathExpression.compile(path);

    assertThat(expression.read(scope(inputWithKey(key)))).isEqualTo(Json.NODES.textNode("found"));
    assertThat(expression.isReferencePath()).isTrue();
  }

  @Test
  void shouldNotReadABackslashAsAnEscapeWhenTheKeyHoldsTheEscapedCharacter() {
    // "\b" would be a backspace to Jayway; the key with a backspace is not the one the path names.
    JsonPathExpression path = JsonPathExpression.compile("$['a\\b']");

    assertThat(path.read(scope(inputWithKey("a\b")))).isNull();
  }

  @Test
  void shouldMixLiteralNamesWithFieldsAndIndices() {
    JsonNode input = Json.parse("{\"list\": [{\"k\\\\1\": {\"v\": 7}}]}");

    assertThat(JsonPathExpression.compile("$.list[0]['k\\1'].v").read(scope(input)).intValue()).isEqualTo(7);
    assertThat(JsonPathExpression.compile("$['list'][-1][\"k\\1\"]['v']").read(scope(input)).intValue()).isEqualTo(7);
  }

  @Test
  void shouldWriteAtALiteralName() {
    JsonPathExpression path = JsonPathExpression.compile("$['out\\put']['it''s']");

    JsonNode written = path.write(Json.parse("{\"a\": 1}"), Json.NODES.numberNode(2));

    assertThat(written).isEqualTo(Json.parse("{\"a\": 1, \"out\\\\put\": {\"it''s\": 2}}"));
  }

  @Test
  void shouldLeaveAUnionOfNamesToTheGeneralEvaluator() {
    JsonPathExpression union = JsonPathExpression.compile("$['a','b']");

    assertThat(union.isReferencePath()).isFalse();
    assertThat(union.read(scope(Json.parse("{\"a\": 1, \"b\": 2}")))).isEqualTo(Json.parse("{\"a\": 1, \"b\": 2}"));
  }

  @Test
  void shouldReadAPathThatSelectsNothingAsNull() {
    assertThat(JsonPathExpression.compile("$['a\\b'].c").read(scope(inputWithKey("a\\b")))).isNull();
  }
}
