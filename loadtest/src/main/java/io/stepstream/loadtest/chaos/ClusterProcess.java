package io.stepstream.loadtest.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One process of the local cluster: its command line, its log (appended to across restarts) and the
 * running process, if any. Thread-safe.
 */
final class ClusterProcess {

  private static final Pattern ERROR = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d+ ERROR ");

  private final String name;
  private final List<String> command;
  private final Path log;
  private Process process;

  ClusterProcess(String name, List<String> command, Path log) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** Starts the process; its standard output and error go to the log. */
  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Files.writeString(log, "==== " + Instant.now() + " starting " + name + System.lineSeparator(),
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /**
   * kill -9: {@link Process#destroyForcibly()} sends SIGKILL on Linux, so the process gets no chance
   * to close anything. Returns once it is gone.
   */
  void kill() throws InterruptedException {
    Process running;
    synchronized (this) {
      running = process;
    }
    if (running != null && running.isAlive()) {
      running.destroyForcibly();
      running.waitFor();
      try {
        Files.writeString(log, "==== " + Instant.now() + " killed " + name + " (SIGKILL)" + System.lineSeparator(),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        // The log is evidence, not a reason to fail the kill.
      }
    }
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** The exit code of a process that has ended, or null while it runs (or never ran). */
  synchronized Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  /** The log's text so far (empty when there is none). */
  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The log's ERROR lines (Stepstream's and Kafka's logback pattern: {@code HH:mm:ss.SSS ERROR ...}),
   * each cut to {@code width} characters.
   */
  List<String> errors(int width) {
    return logText().lines().filter(line -> ERROR.matcher(line).lookingAt())
        .map(line -> line.length() > width ? line.substring(0, width) + "..." : line).toList();
  }

  /** The last {@code lines} lines of the log. */
  String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
