package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StepstreamCommandTest {

  @TempDir
  Path dir;

  @Test
  void shouldPrintOkAndExitZeroForAValidDefinition() throws Exception {
    Path file = Files.writeString(dir.resolve("ok.json"),
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}");
    StringWriter out = new StringWriter();

    int exit = command(out).execute("validate", file.toString());

    assertThat(exit).isZero();
    JsonNode printed = Json.parse(out.toString());
    assertThat(printed.get("result").asText()).isEqualTo("OK");
    assertThat(printed.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void shouldPrintDiagnosticsAndExitOneForAnInvalidDefinition() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"),
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}");
    StringWriter out = new StringWriter();

    int exit = command(out).execute("validate", file.toString());

    assertThat(exit).isEqualTo(1);
    JsonNode printed = Json.parse(out.toString());
    assertThat(printed.get("result").asText()).isEqualTo("FAIL");
    assertThat(printed.get("diagnostics").get(0).get("code").asText()).isEqualTo("MISSING_TRANSITION_TARGET");
  }

  @Test
  void shouldRefuseRunWithoutBootstrapServers() {
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new StepstreamCommand());
    line.setErr(new PrintWriter(err));

    assertThat(line.execute("run", "--roles", "gateway")).isEqualTo(2);
    assertThat(err.toString()).contains("--bootstrap-servers");
  }

  @Test
  void shouldRefuseRunWithAuthenticationOnButNoCredentialsFileBeforeConnecting() {
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new StepstreamCommand());
    line.setErr(new PrintWriter(err));

    // No broker listens there: the refusal comes before any Kafka client is made.
    assertThat(line.execute("run", "--bootstrap-servers", "127.0.0.1:1", "--state-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--credentials-file").contains("--no-authentication");
  }

  private static CommandLine command(StringWriter out) {
    CommandLine line = new CommandLine(new StepstreamCommand());
    line.setOut(new PrintWriter(out));
    return line;
  }
}
