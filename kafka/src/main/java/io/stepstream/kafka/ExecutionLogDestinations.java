package io.stepstream.kafka;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Where the execution log records of each CloudWatch Logs log group go. A state machine's
 * {@code loggingConfiguration} names a log group ARN ({@code arn:aws:logs:...:log-group:NAME:*});
 * the server maps log group names to destinations:
 *
 * <ul>
 *   <li>{@code topic:T}: the Kafka topic T, keyed by execution ARN, with the log group in the
 *       {@value #LOG_GROUP_HEADER} header (written in the transaction of the events on STANDARD);
 *   <li>{@code file:PATH}: JSON lines appended to a file;
 *   <li>{@code stdout}: JSON lines on standard output.
 * </ul>
 *
 * <p>A mapping is {@code NAME=DESTINATION}; {@code *=DESTINATION} sets the destination of every
 * group not mapped by name. Without one, records go to the default topic ({@code <prefix>execution-logs}).
 * Thread-safe; {@link #close()} closes the files.
 */
public final class ExecutionLogDestinations implements AutoCloseable {

  /** The header holding a record's log group name. */
  public static final String LOG_GROUP_HEADER = "log-group";
  private static final String ANY_GROUP = "*";
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** A destination. */
  public sealed interface Destination permits Topic, Lines {}

  /** A Kafka topic. */
  public record Topic(String name) implements Destination {}

  /** JSON lines on a file or standard output. */
  public static final class Lines implements Destination {
    private final String description;
    private final Writer writer;

    Lines(String description, Writer writer) {
      this.description = description;
      this.writer = writer;
    }

    /** Appends the lines and flushes them; a failure is logged, never thrown at the caller. */
    public void write(List<String> lines) {
      synchronized (this) {
        try {
          for (String line : lines) {
            writer.write(line);
            writer.write('\n');
          }
          writer.flush();
        } catch (IOException e) {
          org.slf4j.LoggerFactory.getLogger(ExecutionLogDestinations.class)
              .warn("Execution log records were not written to {}: {}", description, e.toString());
        }
      }
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private final Map<String, Destination> byGroup;
  private final Destination fallback;

  private ExecutionLogDestinations(Map<String, Destination> byGroup, Destination fallback) {
    this.byGroup = byGroup;
    this.fallback = fallback;
  }

  /**
   * Reads the mappings.
   *
   * @param mappings {@code NAME=stdout}, {@code NAME=file:PATH}, {@code NAME=topic:T}; NAME {@code *} for every other group
   * @param defaultTopic the topic of groups no mapping names (when no {@code *} mapping is given)
   * @throws IllegalArgumentException for a malformed mapping, naming it
   */
  public static ExecutionLogDestinations parse(List<String> mappings, String defaultTopic) {
    Map<String, Destination> byGroup = new LinkedHashMap<>();
    Map<String, Lines> files = new LinkedHashMap<>();
    Destination fallback = new Topic(defaultTopic);
    for (String mapping : mappings) {
      int equals = mapping.indexOf('=');
      if (equals <= 0 || equals == mapping.length() - 1) {
        throw new IllegalArgumentException("An execution log mapping is NAME=DESTINATION, not '" + mapping + "'");
      }
      String group = mapping.substring(0, equals).trim();
      Destination destination = destination(mapping.substring(equals + 1).trim(), files);
      if (group.equals(ANY_GROUP)) {
        fallback = destination;
      } else {
        byGroup.put(group, destination);
      }
    }
    return new ExecutionLogDestinations(Map.copyOf(byGroup), fallback);
  }

  /** Every record to the default topic. */
  public static ExecutionLogDestinations defaults(String defaultTopic) {
    return parse(List.of(), defaultTopic);
  }

  private static Destination destination(String text, Map<String, Lines> files) {
    if (text.equals("stdout")) {
      return files.computeIfAbsent("stdout", ignored ->
          new Lines("stdout", new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))));
    }
    if (text.startsWith("file:") && text.length() > "file:".length()) {
      Path path = Path.of(text.substring("file:".length())).toAbsolutePath().normalize();
      return files.computeIfAbsent(path.toString(), ignored -> {
        try {
          if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
          }
          return new Lines(path.toString(), Files.newBufferedWriter(path, StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot open the execution log file " + path, e);
        }
      });
    }
    if (text.startsWith("topic:") && TOPIC.matcher(text.substring("topic:".length())).matches()) {
      return new Topic(text.substring("topic:".length()));
    }
    throw new IllegalArgumentException("An execution log destination is stdout, file:PATH or topic:NAME, not '"
        + text + "'");
  }

  /** Where the records of a log group go. */
  public Destination destination(String logGroupName) {
    return byGroup.getOrDefault(logGroupName, fallback);
  }

  /** The topics records may go to (to create at start-up). */
  public Set<String> topics() {
    Set<String> topics = new LinkedHashSet<>();
    List<Destination> all = new ArrayList<>(byGroup.values());
    all.add(fallback);
    for (Destination destination : all) {
      if (destination instanceof Topic topic) {
        topics.add(topic.name());
      }
    }
    return topics;
  }

  /** The header naming a record's log group. */
  public static Header logGroupHeader(String logGroupName) {
    return new RecordHeader(LOG_GROUP_HEADER, logGroupName.getBytes(StandardCharsets.UTF_8));
  }

  /** Flushes and closes the files (standard output is flushed, not closed). */
  @Override
  public void close() {
    Set<Destination> all = new LinkedHashSet<>(byGroup.values());
    all.add(fallback);
    for (Destination destination : all) {
      if (destination instanceof Lines lines) {
        synchronized (lines) {
          try {
            if (lines.description.equals("stdout")) {
              lines.writer.flush();
            } else {
              lines.writer.close();
            }
          } catch (IOException e) {
            // Closing: nothing left to do with a file that cannot be flushed.
          }
        }
      }
    }
  }
}
