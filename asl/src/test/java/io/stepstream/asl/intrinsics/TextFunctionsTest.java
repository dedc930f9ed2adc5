package io.stepstream.asl.intrinsics;

import static io.stepstream.asl.intrinsics.Intrinsics.assertInvalid;
import static io.stepstream.asl.intrinsics.Intrinsics.eval;
import static io.stepstream.asl.intrinsics.Intrinsics.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextFunctionsTest {

  @Test
  void shouldFormatScalarsBareAndContainersLikeJavaMaps() {
    assertThat(eval("States.Format('{} {} {} {} {}', $.s, $.i, $.d, $.b, $.n)",
        "{\"s\":\"x\",\"i\":2,\"d\":3.5,\"b\":true,\"n\":null}")).isEqualTo(json("\"x 2 3.5 true null\""));
    assertThat(eval("States.Format('o={} a={}', $.o, $.a)", "{\"o\":{\"Id\":\"i\",\"N\":{\"k\":[1,\"v\"]}},\"a\":[1,[]]}"))
        .isEqualTo(json("\"o={Id=i, N={k=[1, v]}} a=[1, []]\""));
  }

  @Test
  void shouldTreatEscapedBracesAsText() {
    assertThat(eval("States.Format('\\{{}\\}', 'x')")).isEqualTo(json("\"{x}\""));
    assertThat(eval("States.Format('Name: \\'{}\\'', 'G')")).isEqualTo(json("\"Name: 'G'\""));
  }

  @Test
  void shouldTakeTheTemplateFromAPath() {
    assertThat(eval("States.Format($.t, $.n)", "{\"t\":\"Hello {}!\",\"n\":\"Ada\"}")).isEqualTo(json("\"Hello Ada!\""));
  }

  @Test
  void shouldRejectMalformedFormats() {
    assertInvalid("States.Format('{} {}', 'x')", "States.Format");
    assertInvalid("States.Format('{}', 'x', 'y')", "States.Format");
    assertInvalid("States.Format('Hello {', 'x')", "States.Format");
    assertInvalid("States.Format('Hello {{}}', 'x')", "States.Format");
    assertInvalid("States.Format('}')", "States.Format");
    assertInvalid("States.Format(123)", "States.Format");
  }

  @Test
  void shouldParseJsonText() {
    assertThat(eval("States.StringToJson($.s)", "{\"s\":\"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"}"))
        .isEqualTo(json("{\"Arg1\":1,\"Arg2\":[]}"));
    assertThat(eval("States.StringToJson('-0')")).isEqualTo(json("0"));
    assertThat(eval("States.StringToJson('1.1')")).isEqualTo(json("1.1"));
    assertThat(eval("States.StringToJson(' ')").isNull()).isTrue();
    assertThat(eval("States.StringToJson('')").isNull()).isTrue();
    assertInvalid("States.StringToJson('{x')", "States.StringToJson");
    assertInvalid("States.StringToJson(1)", "States.StringToJson");
  }

  @Test
  void shouldWriteCompactJsonText() {
    assertThat(eval("States.JsonToString($.v)", "{\"v\":{\"Arg1\":1,\"Arg2\":[1.1,\"x\"]}}"))
        .isEqualTo(json("\"{\\\"Arg1\\\":1,\\\"Arg2\\\":[1.1,\\\"x\\\"]}\""));
    assertThat(eval("States.JsonToString($.v)", "{\"v\":null}")).isEqualTo(json("\"null\""));
    assertThat(eval("States.JsonToString('x')")).isEqualTo(json("\"\\\"x\\\"\""));
  }

  @Test
  void shouldEncodeAndDecodeBase64AsUtf8() {
    assertThat(eval("States.Base64Encode('Data to encode')")).isEqualTo(json("\"RGF0YSB0byBlbmNvZGU=\""));
    assertThat(eval("States.Base64Encode('')")).isEqualTo(json("\"\""));
    assertThat(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).isEqualTo(json("\"Data to encode\""));
    assertThat(eval("States.Base64Decode('4pyT')")).isEqualTo(json("\"\u2713\""));
    assertThat(eval("States.Base64Decode(' YWJjZA== ')")).isEqualTo(json("\"abcd\""));
  }

  @Test
  void shouldLimitBase64InputsToTenThousandCharacters() {
    String ok = "{\"s\":\"" + "a".repeat(10_000) + "\"}";
    String tooLong = "{\"s\":\"" + "a".repeat(10_001) + "\"}";
    assertThat(eval("States.Base64Encode($.s)", ok).textValue()).hasSize(13_336);
    Intrinsics.assertFails("States.Base64Encode($.s)", tooLong, "Invalid arguments in States.Base64Encode");
    Intrinsics.assertFails("States.Base64Decode($.s)", tooLong, "Invalid arguments in States.Base64Decode");
    assertInvalid("States.Base64Decode(123)", "States.Base64Decode");
    assertInvalid("States.Base64Encode('a', 'b')", "States.Base64Encode");
  }

  @Test
  void shouldHashWithEveryAlgorithm() {
    assertThat(eval("States.Hash('input data', 'MD5')").textValue()).isEqualTo("812f45842bc6d66ee14572ce20db8e86");
    assertThat(eval("States.Hash('input data', 'SHA-1')").textValue())
        .isEqualTo("aaff4a450a104cd177d28d18d74485e8cae074b7");
    assertThat(eval("States.Hash('input data', 'SHA-256')").textValue())
        .isEqualTo("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
    assertThat(eval("States.Hash('input data', 'SHA-384')").textValue()).isEqualTo(
        "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562");
    assertThat(eval("States.Hash('input data', 'SHA-512')").textValue()).isEqualTo(
        "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4");
    assertThat(eval("States.Hash('\u2713', 'SHA-256')").textValue())
        .isEqualTo("1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604");
  }

  @Test
  void shouldRejectBadHashArguments() {
    for (String algorithm : new String[] {"sha-256", "SHA256", "", "MD-5", "SHA-257"}) {
      assertInvalid("States.Hash('data', '" + algorithm + "')", "States.Hash");
    }
    assertInvalid("States.Hash('hello', 123)", "States.Hash");
    assertInvalid("States.Hash('hello')", "States.Hash");
    assertInvalid("States.Hash()", "States.Hash");
    Intrinsics.assertFails("States.Hash($.s, 'MD5')", "{\"s\":\"" + "a".repeat(10_001) + "\"}",
        "Invalid arguments in States.Hash");
  }

  @Test
  void shouldSplitAtAnyDelimiterCharacterDroppingEmptyPieces() {
    assertThat(eval("States.StringSplit('1,2,3', ',')")).isEqualTo(json("[\"1\",\"2\",\"3\"]"));
    assertThat(eval("States.StringSplit(', , ,', ',')")).isEqualTo(json("[\" \",\" \"]"));
    assertThat(eval("States.StringSplit(',,,,', ',')")).isEqualTo(json("[]"));
    assertThat(eval("States.StringSplit('This.is+a,test=string', '.+,=')"))
        .isEqualTo(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"));
    assertInvalid("States.StringSplit(1, ',')", "States.StringSplit");
  }
}
