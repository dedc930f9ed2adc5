package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.StringTokenizer;

/** The string functions: Format, StringToJson, JsonToString, Base64Encode/Decode, Hash, StringSplit. */
final class TextFunctions {
  /** AWS's input length limit for Base64Encode, Base64Decode and Hash. */
  static final int MAX_INPUT_LENGTH = 10_000;
  private static final Set<String> HASH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private TextFunctions() {}

  static JsonNode format(Invocation in) {
    if (in.count() < 1) {
      throw in.invalid();
    }
    FormatTemplate template = in.call().literalTemplate();
    if (template == null) {
      template = FormatTemplate.compile(in.string(0));
    }
    if (!template.isValid() || template.placeholders() != in.count() - 1) {
      throw in.invalid();
    }
    return Json.NODES.textNode(template.fill(in));
  }

  static JsonNode stringToJson(Invocation in) {
    in.requireCount(1);
    String text = in.string(0);
    if (text.isBlank()) {
      return Json.NODES.nullNode();
    }
    try {
      return Json.parse(text);
    } catch (Json.InvalidJsonException e) {
      throw in.invalid();
    }
  }

  static JsonNode jsonToString(Invocation in) {
    in.requireCount(1);
    return Json.NODES.textNode(Json.write(in.arg(0)));
  }

  static JsonNode base64Encode(Invocation in) {
    in.requireCount(1);
    String text = limited(in, in.string(0));
    return Json.NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonNode base64Decode(Invocation in) {
    in.requireCount(1);
    String text = limited(in, in.string(0));
    try {
      // AWS decodes leniently: characters outside the alphabet (spaces, line breaks) are skipped.
      byte[] bytes = Base64.getMimeDecoder().decode(text);
      return Json.NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw in.invalid();
    }
  }

  static JsonNode hash(Invocation in) {
    in.requireCount(2);
    JsonNode data = in.arg(0);
    String text = limited(in, data.isTextual() ? data.textValue() : Json.write(data));
    String algorithm = in.string(1);
    if (!HASH_ALGORITHMS.contains(algorithm)) {
      throw in.invalid();
    }
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
      return Json.NODES.textNode(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      // Every algorithm in HASH_ALGORITHMS is required of every Java platform.
      throw new IllegalStateException(e);
    }
  }

  /** Splits at any of the delimiter's characters, dropping empty pieces, as AWS does. */
  static JsonNode split(Invocation in) {
    in.requireCount(2);
    StringTokenizer tokens = new StringTokenizer(in.string(0), in.string(1));
    ArrayNode out = Json.array();
    while (tokens.hasMoreTokens()) {
      out.add(tokens.nextToken());
    }
    return out;
  }

  private static String limited(Invocation in, String text) {
    if (text.length() > MAX_INPUT_LENGTH) {
      throw in.invalid();
    }
    return text;
  }
}
