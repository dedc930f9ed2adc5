package io.stepstream.server;

import io.stepstream.coordinator.Coordinator;
import io.stepstream.coordinator.execution.Handover;
import io.stepstream.kafka.CommandGenerations;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.Command;
import io.stepstream.proto.Seal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code stepstream partitions --to N}: grows the cluster's partitions while it runs.
 *
 * <p>The commands topics grow by a new generation (see {@link CommandGenerations} and the
 * coordinator's {@link Handover}): the command creates the next generation's topic with N
 * partitions, waits until the coordinators run it (every instance starts it when it appears), seals
 * every partition of the current generation, and follows the handover until each sealed partition
 * said it is done. The tasks topic, which holds no state, grows in place. Safe to run again: a
 * topic already at N partitions is left alone, and a growth still handing over is refused.
 */
@picocli.CommandLine.Command(name = "partitions", mixinStandardHelpOptions = true,
    description = "Grows the commands topics (by a new generation) and the tasks topic to N partitions, while the "
        + "cluster runs; shows the handover's progress and returns once it is done.")
final class PartitionsCommand implements Callable<Integer> {

  /** Where the cluster is: an external one, or a running dev mode's data directory. */
  static final class Cluster {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--data-dir", required = true,
        description = "The data directory of a running `stepstream dev`: its embedded broker is used.")
    Path dataDir;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Cluster cluster;

  @Option(names = "--to", required = true, description = "The partition count to grow to.")
  int partitions;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "How long to wait for the coordinators and the handover (ISO-8601, default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @picocli.CommandLine.Mixin
  KafkaClientOptions kafka = new KafkaClientOptions();

  @Override
  public Integer call() throws Exception {
    String bootstrapServers = cluster.bootstrapServers != null ? cluster.bootstrapServers
        : Files.readString(cluster.dataDir.resolve(DevMode.BOOTSTRAP_FILE)).trim();
    grow(kafka.properties(bootstrapServers), new Topics(topicPrefix), partitions, timeout, System.out::println);
    return 0;
  }

  /** Grows like {@link #grow(Properties, Topics, int, Duration, Consumer)}, with plain Kafka clients. */
  static void grow(String bootstrapServers, Topics topics, int partitions, Duration timeout,
      Consumer<String> progress) {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", bootstrapServers);
    grow(kafka, topics, partitions, timeout, progress);
  }

  /**
   * Grows the commands topics of both execution types and the tasks topic to {@code partitions}.
   *
   * @param kafka client properties ({@code bootstrap.servers} and security settings)
   * @param progress told what happens, one sentence at a time
   * @throws IllegalStateException when a growth is still handing over, or the handover does not end in time
   */
  static void grow(Properties kafka, Topics topics, int partitions, Duration timeout,
      Consumer<String> progress) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--to must be at least 1");
    }
    try (Admin admin = Admin.create(kafka)) {
      for (boolean express : new boolean[] {false, true}) {
        growCommands(admin, kafka, topics, express ? topics.expressCommands() : topics.standardCommands(), express,
            partitions, timeout, progress);
      }
      int tasks = describe(admin, topics.tasks()).partitions().size();
      if (tasks < partitions) {
        admin.createPartitions(Map.of(topics.tasks(), NewPartitions.increaseTo(partitions))).all()
            .get(30, TimeUnit.SECONDS);
        progress.accept(topics.tasks() + ": " + tasks + " -> " + partitions + " partitions");
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("The cluster did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static void growCommands(Admin admin, Properties kafka, Topics topics, String base, boolean express,
      int partitions, Duration timeout, Consumer<String> progress) throws Exception {
    List<CommandGenerations.Generation> generations = CommandGenerations.among(
        admin.listTopics().names().get(30, TimeUnit.SECONDS), base);
    if (generations.isEmpty()) {
      throw new IllegalStateException("Topic " + base + " does not exist: start Stepstream once first");
    }
    CommandGenerations.Generation current = generations.get(generations.size() - 1);
    TopicDescription described = describe(admin, current.topic());
    int currentPartitions = described.partitions().size();
    if (currentPartitions >= partitions) {
      progress.accept(current.topic() + " has " + currentPartitions + " partitions already");
      return;
    }
    if (current.number() > 0) {
      int previous = describe(admin, CommandGenerations.topic(base, current.number() - 1)).partitions().size();
      int done = handedOver(kafka, current.topic(), previous, Duration.ofSeconds(5), progress, false);
      if (done < previous) {
        throw new IllegalStateException("The growth to " + current.topic() + " is still handing over (" + done + " of "
            + previous + " partitions done): run this again once it is done");
      }
    }
    int number = current.number() + 1;
    String next = CommandGenerations.topic(base, number);
    short replicationFactor = (short) described.partitions().get(0).replicas().size();
    topics.createOne(admin, next, partitions, replicationFactor);
    progress.accept(next + ": created, " + partitions + " partitions, replication factor " + replicationFactor);

    String applicationId = Coordinator.applicationId(topics.prefix() + "coordinator", express, number);
    long deadline = System.nanoTime() + timeout.toNanos();
    progress.accept("waiting for the coordinators to run " + next + " (consumer group " + applicationId + ")");
    while (!running(admin, applicationId)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("No coordinator runs " + next + " after " + timeout.toSeconds() + " s; nothing "
            + "was sealed. Start an instance with the coordinator role and run this again.");
      }
      Thread.sleep(500);
    }

    Properties producerProps = new Properties();
    producerProps.putAll(kafka);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        new ByteArraySerializer())) {
      byte[] seal = Command.newBuilder().setTimeMs(System.currentTimeMillis()).setSeal(Seal.newBuilder()
          .setNextTopic(next).setNextPartitions(partitions).setPartitions(currentPartitions)).build().toByteArray();
      for (int partition = 0; partition < currentPartitions; partition++) {
        producer.send(new ProducerRecord<>(current.topic(), partition, Handover.CONTROL_KEY, seal)).get();
      }
    }
    progress.accept(current.topic() + ": sealed its " + currentPartitions + " partitions; new commands go to " + next);
    int done = handedOver(kafka, next, currentPartitions, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
        progress, true);
    if (done < currentPartitions) {
      throw new IllegalStateException("Only " + done + " of " + currentPartitions + " partitions of " + current.topic()
          + " handed over within the timeout; the handover goes on: run this again later to see it done");
    }
    progress.accept(current.topic() + " -> " + next + ": handed over (" + currentPartitions + " -> " + partitions
        + " partitions)");
  }

  /** Whether a Streams application's consumer group has members working (stable). */
  private static boolean running(Admin admin, String groupId) throws Exception {
    ConsumerGroupDescription group;
    try {
      group = admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return false;
      }
      throw e;
    }
    return group != null && group.groupState() == GroupState.STABLE && !group.members().isEmpty();
  }

  /**
   * Counts the previous generation's partitions that said they are done: their SealDone reaches every
   * partition of the next topic, so partition 0 holds them all.
   */
  private static int handedOver(Properties kafka, String topic, int previousPartitions, Duration patience,
      Consumer<String> progress, boolean report) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<Integer> done = new HashSet<>();
    long deadline = System.nanoTime() + patience.toNanos();
    long nextReport = System.nanoTime();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      TopicPartition first = new TopicPartition(topic, 0);
      consumer.assign(List.of(first));
      consumer.seekToBeginning(List.of(first));
      while (done.size() < previousPartitions && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (Handover.CONTROL_KEY.equals(record.key())) {
            try {
              Command command = Command.parseFrom(record.value());
              if (command.hasSealDone()) {
                done.add(command.getSealDone().getPartition());
              }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              // not a command; skip
            }
          }
        }
        if (report && System.nanoTime() >= nextReport) {
          progress.accept("handed over: " + done.size() + " of " + previousPartitions + " partitions");
          nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        }
        if (!report && consumer.position(first) >= consumer.endOffsets(List.of(first)).get(first)) {
          break;
        }
      }
    }
    return done.size();
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
  }
}
