package io.stepstream.asl.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1}", "[1.5,-2,0,100.0,1.0E10,1.0E-5,-0.0]", "\"\\u0001\\n\\t\\\"\\\\\"", "\"\\u001F\"",
      "\"é\"", "\"😀 a\\nb\\\"c\\u0002d\"", "12345678901234567890", "true", "null", "[]", "{}", "{\"a\":{\"b\":[null,false,\"x\"]}}"})
  void shouldKnowTextThatIsWhatTheWriterWrites(String text) {
    assertThat(Json.isWritten(text)).isTrue();
    assertThat(Json.write(Json.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": 1}", " 1", "[1,\n2]", "[1.5,2.50]", "1e2", "1E+2", "-0", "\"\\u00e9\"", "\"\\/\"",
      "\"\\u001f\"", "\"\\u000a\"", "\"a\\nb\\/\"", "[\"x\",\"y\\u0041\"]"})
  void shouldRefuseTextTheWriterWritesOtherwise(String text) {
    assertThat(Json.isWritten(text)).isFalse();
    assertThat(Json.write(Json.parse(text))).isNotEqualTo(text);
  }

  /** Every input and definition of the conformance corpus: whenever the check says yes, the writer agrees. */
  @Test
  void shouldNeverClaimTextTheWriterWritesOtherwise() throws IOException {
    Path cases = Path.of(System.getProperty("stepstream.conformance.dir", "../../shared/conformance"), "cases");
    List<String> texts = new ArrayList<>();
    if (Files.isDirectory(cases)) {
      try (Stream<Path> files = Files.list(cases)) {
        for (Path file : files.toList()) {
          JsonNode testCase = Json.parse(Files.readString(file));
          for (String field : List.of("input", "definition")) {
            JsonNode value = testCase.get(field);
            if (value != null) {
              texts.add(value.isTextual() ? value.textValue() : Json.write(value));
            }
          }
        }
      }
    }
    texts.addAll(List.of("{\"a\":[1,2.0,\"\\u0000\"]}", "0.30000000000000004", "[1E400]"));
    // Decimals around the short check's edges: 10^7, 0.001, 15 and 16 digits, zeros.
    for (String number : List.of("9999999.5", "10000000.5", "0.001", "0.0001", "0.0012", "0.0", "-0.0", "0.10", "1.0",
        "1.00", "00.5", "123456789012345.0", "1234567.12345678", "0.123456789012345", "0.1234567890123456",
        "1.7976931348623157E308", "4.9E-324", "1.0E7", "9999999.999999999", "2.5", "-2.5", "0.3", "1.1")) {
      texts.add(number);
      texts.add("[" + number + "]");
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(14);
    for (int n = 0; n < 20_000; n++) {
      double value = switch (n % 4) {
        case 0 -> random.nextDouble() * 1e8;
        case 1 -> Math.round(random.nextDouble() * 1e6) / 100.0;
        case 2 -> random.nextDouble() / 100;
        default -> Double.longBitsToDouble(random.nextLong());
      };
      if (Double.isFinite(value)) {
        texts.add(Double.toString(value));
        texts.add(new java.math.BigDecimal(value).round(new java.math.MathContext(1 + n % 17)).toPlainString());
      }
    }
    int claimed = 0;
    for (String text : texts) {
      JsonNode node;
      try {
        node = Json.parse(text);
      } catch (Json.InvalidJsonException e) {
        continue;
      }
      if (Json.isWritten(text)) {
        claimed++;
        assertThat(Json.write(node)).as(text).isEqualTo(text);
      }
    }
    assertThat(claimed).isPositive();
  }

  /**
   * {@link Json#write} and {@link Json#writeBytes} write trees with the generator's own calls: the same
   * text as the mapper's serializers, for every kind of node (those JSON text never parses to as well),
   * and for every input and definition of the conformance corpus.
   */
  @Test
  void shouldWriteWhatTheMapperWrites() throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    Path cases = Path.of(System.getProperty("stepstream.conformance.dir", "../../shared/conformance"), "cases");
    if (Files.isDirectory(cases)) {
      try (Stream<Path> files = Files.list(cases)) {
        for (Path file : files.toList()) {
          JsonNode testCase = Json.parse(Files.readString(file));
          nodes.add(testCase);
          JsonNode input = testCase.get("input");
          if (input != null && input.isTextual()) {
            try {
              nodes.add(Json.parse(input.textValue()));
            } catch (Json.InvalidJsonException e) {
              // an input AWS refused: nothing to write
            }
          }
        }
      }
    }
    var object = Json.object();
    object.put("int", 7).put("long", 12345678901234L).put("double", 0.1).put("negativeZero", -0.0)
        .put("decimal", new java.math.BigDecimal("1E+3")).put("bigInteger", new java.math.BigInteger("123456789012345678901234"))
        .put("float", 1.5f).put("short", (short) 3).put("text", "é\u0001\"😀\n").put("true", true).putNull("null")
        .put("binary", new byte[] {1, 2, 3});
    object.set("emptyArray", Json.array());
    object.set("emptyObject", Json.object());
    object.set("nested", Json.array().add(Json.object().set("a", Json.array().add(1).addNull())));
    object.putPOJO("pojo", java.util.List.of("x", 1));
    nodes.add(object);
    nodes.add(Json.NODES.missingNode());
    nodes.add(Json.NODES.textNode(""));
    nodes.add(Json.NODES.numberNode(Double.NaN));
    var arrays = Json.array();
    for (JsonNode node : nodes) {
      String expected = Json.MAPPER.writeValueAsString(node);
      assertThat(Json.write(node)).isEqualTo(expected);
      assertThat(Json.writeBytes(node)).isEqualTo(Json.MAPPER.writeValueAsBytes(node));
      arrays.add(node);
      if (node.isArray() && !node.isEmpty()) {
        assertWrittenEach((com.fasterxml.jackson.databind.node.ArrayNode) node);
      }
    }
    assertThat(nodes).hasSizeGreaterThan(600);
    assertWrittenEach(arrays);
    assertWrittenEach((com.fasterxml.jackson.databind.node.ArrayNode) Json.parse("[[],{},\"\",0,[1,[2]],null]"));
  }

  /** {@link Json#writeEach}: the array's text and each element's, as {@link Json#write} writes them. */
  private static void assertWrittenEach(com.fasterxml.jackson.databind.node.ArrayNode array) throws IOException {
    Json.ArrayText texts = Json.writeEach(array);
    assertThat(texts.text()).isEqualTo(Json.MAPPER.writeValueAsString(array));
    assertThat(texts.elements()).hasSize(array.size());
    for (int i = 0; i < array.size(); i++) {
      assertThat(texts.elements()[i]).isEqualTo(Json.write(array.get(i)));
    }
  }
}
