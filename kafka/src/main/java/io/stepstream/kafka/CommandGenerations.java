package io.stepstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generations of a commands topic: how the coordinators grow.
 *
 * <p>Kafka Streams cannot change the partition count of a topic its stores are partitioned by, and
 * moving keys between partitions would separate an execution from its state. So a commands topic
 * grows by a new generation: {@code sfn.standard.commands} is generation 0, {@code
 * sfn.standard.commands.g1} generation 1, and so on, each with its own partition count and its own
 * coordinator application. New commands go to the newest generation; the previous one, sealed by
 * {@code stepstream partitions}, hands its executions over and forwards whatever still reaches it
 * (see the coordinator's {@code Handover}), so a writer that has not noticed a new generation yet
 * loses nothing, it only costs a hop.
 *
 * <p>An instance of this class follows the topics of a cluster: it lists them every {@link
 * #REFRESH} on a daemon thread and tells listeners of each new generation. Thread-safe.
 */
public final class CommandGenerations implements AutoCloseable {

  /** How often the topic list is read. */
  public static final Duration REFRESH = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(CommandGenerations.class);

  /** One generation of a commands topic. */
  public record Generation(String base, int number, String topic) {}

  private final Admin admin;
  private final List<String> bases;
  private final Map<String, Generation> newest = new ConcurrentHashMap<>();
  private final List<Consumer<Generation>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final Thread follower;
  private volatile boolean running = true;

  private CommandGenerations(Properties kafka, List<String> bases) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "stepstream-generations");
    this.admin = Admin.create(props);
    this.bases = List.copyOf(bases);
    for (String base : bases) {
      newest.put(base, new Generation(base, 0, base));
    }
    refresh();
    this.follower = Thread.ofPlatform().name("command-generations").daemon().start(this::follow);
  }

  /**
   * Follows the generations of the given base topics (e.g. {@link Topics#standardCommands()}); the
   * first listing is done before this returns.
   */
  public static CommandGenerations follow(Properties kafka, String... bases) {
    return new CommandGenerations(kafka, List.of(bases));
  }

  /** The topic of generation {@code number} of a base topic. */
  public static String topic(String base, int number) {
    return number == 0 ? base : base + ".g" + number;
  }

  /** The generations of a base topic among topic names, oldest first (generation 0 only if it exists). */
  public static List<Generation> among(Collection<String> topicNames, String base) {
    Pattern pattern = Pattern.compile(Pattern.quote(base) + "(?:\\.g([1-9][0-9]*))?");
    List<Generation> found = new ArrayList<>();
    for (String name : topicNames) {
      Matcher matcher = pattern.matcher(name);
      if (matcher.matches()) {
        found.add(new Generation(base, matcher.group(1) == null ? 0 : Integer.parseInt(matcher.group(1)), name));
      }
    }
    found.sort(Comparator.comparingInt(Generation::number));
    return found;
  }

  /** The topic new commands for this base go to: its newest generation's. */
  public String current(String base) {
    Generation generation = newest.get(base);
    return generation == null ? base : generation.topic();
  }

  /**
   * Calls the listener for every generation known now (oldest first) and for each one found later,
   * on the follower thread.
   */
  public synchronized void onGeneration(Consumer<Generation> listener) {
    for (String base : bases) {
      among(announced, base).forEach(listener);
    }
    listeners.add(listener);
  }

  /** Lists the topics now (besides the periodic listing) and tells listeners of new generations. */
  public synchronized void refresh() {
    Set<String> names;
    try {
      names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("Cannot list topics now: {}", e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (String base : bases) {
      for (Generation generation : among(names, base)) {
        if (generation.number() >= newest.get(base).number()) {
          newest.put(base, generation);
        }
        if (announced.add(generation.topic())) {
          if (generation.number() > 0) {
            LOG.debug("Commands topic {}: generation {} ({})", base, generation.number(), generation.topic());
          }
          for (Consumer<Generation> listener : listeners) {
            try {
              listener.accept(generation);
            } catch (RuntimeException e) {
              LOG.error("Cannot take up generation {} of {}", generation.number(), base, e);
            }
          }
        }
      }
    }
  }

  /**
   * The partition count of a topic.
   *
   * @throws IllegalStateException if the cluster cannot say
   */
  public int partitions(String topic) {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot describe topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing " + topic, e);
    }
  }

  private void follow() {
    while (running) {
      try {
        Thread.sleep(REFRESH.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      refresh();
    }
  }

  @Override
  public void close() {
    running = false;
    follower.interrupt();
    admin.close(Duration.ofSeconds(5));
  }
}
