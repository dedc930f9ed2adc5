package io.stepstream.asl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check that keeps {@code asl/} pure (STYLE.md section 2): the interpreter must be a
 * deterministic function of its commands, so its main code may not read a clock, draw unseeded
 * randomness, sleep, print, or touch Kafka. Time and randomness reach it only through commands and
 * {@code EvaluationScope.random()}. Comments and string literals are ignored, so javadoc may name
 * what is banned.
 */
class PurityTest {

  /** Main sources of this module; Maven runs tests with the module directory as working directory. */
  private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

  private record Ban(String why, Pattern pattern) {
    static Ban of(String why, String regex) {
      return new Ban(why, Pattern.compile(regex));
    }
  }

  private static final List<Ban> BANS = List.of(
      Ban.of("wall clock", "\\bSystem\\s*\\.\\s*(currentTimeMillis|nanoTime)\\s*\\("),
      Ban.of("wall clock", "\\b(Instant|LocalDate|LocalDateTime|LocalTime|ZonedDateTime|OffsetDateTime|OffsetTime)"
          + "\\s*\\.\\s*now\\s*\\("),
      Ban.of("wall clock", "\\bClock\\s*\\.\\s*(systemUTC|systemDefaultZone|system)\\s*\\("),
      Ban.of("unseeded randomness", "\\bnew\\s+(java\\.util\\.)?Random\\s*\\("),
      Ban.of("unseeded randomness", "\\bnew\\s+(java\\.util\\.)?SplittableRandom\\s*\\(\\s*\\)"),
      Ban.of("unseeded randomness", "\\b(SecureRandom|ThreadLocalRandom)\\b"),
      Ban.of("unseeded randomness", "\\bMath\\s*\\.\\s*random\\s*\\("),
      Ban.of("unseeded randomness", "\\bUUID\\s*\\.\\s*randomUUID\\s*\\("),
      Ban.of("blocking", "\\bThread\\s*\\.\\s*sleep\\s*\\("),
      Ban.of("console output", "\\bSystem\\s*\\.\\s*(out|err)\\b"),
      Ban.of("console output", "\\.\\s*printStackTrace\\s*\\(\\s*\\)"),
      Ban.of("Kafka", "\\borg\\s*\\.\\s*apache\\s*\\.\\s*kafka\\b"));

  @Test
  void shouldFindNoBannedCallInTheMainSources() throws IOException {
    assertThat(MAIN_SOURCES).as("asl main sources (run from the asl module directory)").isDirectory();
    List<String> violations = new ArrayList<>();
    int files;
    try (Stream<Path> paths = Files.walk(MAIN_SOURCES)) {
      List<Path> sources = paths.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      files = sources.size();
      for (Path source : sources) {
        violations.addAll(violations("asl/" + source.toString().replace('\\', '/'), read(source)));
      }
    }
    assertThat(files).as("Java files scanned").isGreaterThan(50);
    assertThat(violations).as("banned calls in asl main code (STYLE.md section 2)").isEmpty();
  }

  @Test
  void shouldReportEveryBannedCallWithItsFileAndLine() {
    String source = String.join("\n",
        "class Impure {",
        "  long t = System.currentTimeMillis();",
        "  long n = System.nanoTime();",
        "  Object i = java.time.Instant.now();",
        "  Object d = LocalDateTime.now();",
        "  Object r = new Random(42);",
        "  double m = Math.random();",
        "  Object u = UUID.randomUUID();",
        "  void f() throws Exception { Thread.sleep(1); System.out.println(); System.err.println(); }",
        "}",
        "import org.apache.kafka.clients.producer.Producer;",
        "Object s = new SplittableRandom();");

    List<String> found = violations("Impure.java", source);

    assertThat(found).containsExactly(
        "Impure.java:2: wall clock: System.currentTimeMillis(",
        "Impure.java:3: wall clock: System.nanoTime(",
        "Impure.java:4: wall clock: Instant.now(",
        "Impure.java:5: wall clock: LocalDateTime.now(",
        "Impure.java:6: unseeded randomness: new Random(",
        "Impure.java:7: unseeded randomness: Math.random(",
        "Impure.java:8: unseeded randomness: UUID.randomUUID(",
        "Impure.java:9: blocking: Thread.sleep(",
        "Impure.java:9: console output: System.out",
        "Impure.java:9: console output: System.err",
        "Impure.java:11: Kafka: org.apache.kafka",
        "Impure.java:12: unseeded randomness: new SplittableRandom()");
  }

  @Test
  void shouldIgnoreCommentsStringsAndSeededGenerators() {
    String source = String.join("\n",
        "/** Never calls System.currentTimeMillis() or Thread.sleep(). */",
        "class Pure { // no System.out here",
        "  String a = \"System.out \\\" Instant.now()\";",
        "  char q = '\"'; Object r = new SplittableRandom(seed);",
        "  String b = \"\"\"",
        "      UUID.randomUUID() inside a text block",
        "      \"\"\";",
        "  /* Math.random() */ long seed = 1;",
        "}");

    assertThat(violations("Pure.java", source)).isEmpty();
  }

  private static String read(Path source) {
    try {
      return Files.readString(source, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(String file, String source) {
    String[] lines = codeOnly(source).split("\n", -1);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      for (Ban ban : BANS) {
        var matcher = ban.pattern().matcher(lines[i]);
        while (matcher.find()) {
          String match = matcher.group().replaceAll("\\s*([.(])\\s*", "$1").replaceAll("\\s+", " ");
          found.add(file + ":" + (i + 1) + ": " + ban.why() + ": " + match);
        }
      }
    }
    return found;
  }

  /**
   * The source with comments, string and char literals (text blocks too) blanked out and every
   * newline kept, so that line numbers still match the file.
   */
  private static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = blank(source, i, end < 0 ? n : end + 2, out);
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        while (end > 0 && source.charAt(end - 1) == '\\') {
          end = source.indexOf("\"\"\"", end + 1);
        }
        i = blank(source, i, end < 0 ? n : end + 3, out);
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = blank(source, i, Math.min(n, j + 1), out);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Appends only the newlines of {@code source[from, to)} and returns {@code to}. */
  private static int blank(String source, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      if (source.charAt(k) == '\n') {
        out.append('\n');
      }
    }
    return to;
  }
}
