package io.stepstream.loadtest.api;

import io.stepstream.coordinator.Coordinator;
import io.stepstream.kafka.StreamsStartup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The exactly-once ceiling of the broker under test: a bare Kafka Streams application with the
 * STANDARD coordinator's own settings ({@link Coordinator#config}: exactly_once_v2, its threads, its
 * 100 ms commit interval, its polling and batching) that does one read-modify-write per record: it
 * reads a record, reads and updates one RocksDB store entry of the record's key (changelogged), and
 * writes one record out. That is the least a STANDARD state transition costs (a command in, the
 * execution's state updated, its events out), so "STANDARD executions/s : baseline records/s" says
 * how many such transactions' worth of work one execution takes.
 *
 * <p>A producer keeps the input ahead of the application (at most {@link #MAX_BACKLOG} records not yet
 * processed), so the application never waits for input; a {@code read_committed} consumer counts
 * the committed output records, the first {@code warmup} of them excluded. The scratch topics, the
 * store's changelog and the state directory are deleted afterwards.
 */
final class StreamsBaseline {

  /** Records produced but not yet seen in the output, at most: enough to keep every poll full. */
  private static final long MAX_BACKLOG = 100_000;
  /** Distinct keys, so the store holds many small entries as the coordinator's does. */
  private static final int KEYS = 10_000;
  private static final String STORE = "counts";

  /** The measured rate: committed output records over the window. */
  record Result(long records, double seconds) {

    /** Committed read-modify-writes per second. */
    double perSecond() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  private StreamsBaseline() {}

  /**
   * Runs the application for {@code warmup} plus {@code duration} and counts the committed output
   * of the last {@code duration}.
   *
   * @param partitions input partitions, and so tasks: the coordinator's commands topic has as many
   * @param recordBytes size of each input record's value
   */
  static Result measure(String bootstrapServers, int partitions, Duration warmup, Duration duration, int recordBytes)
      throws InterruptedException {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String input = "loadtest.eos-in-" + run;
    String output = "loadtest.eos-out-" + run;
    String applicationId = "loadtest-eos-" + run;
    Path stateDir = temporaryDirectory();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(input, partitions, (short) 1), new NewTopic(output, partitions, (short) 1)))
          .all().get();
      try {
        return run(bootstrapServers, input, output, applicationId, stateDir, warmup, duration, recordBytes);
      } finally {
        admin.deleteTopics(List.of(input, output, applicationId + "-" + STORE + "-changelog")).all().get();
        deleteRecursively(stateDir);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka Streams baseline on " + bootstrapServers + ": " + e.getCause(), e.getCause());
    }
  }

  private static Result run(String bootstrapServers, String input, String output, String applicationId, Path stateDir,
      Duration warmup, Duration duration, int recordBytes) throws InterruptedException {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
        Serdes.ByteArray()));
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(ReadModifyWrite::new, STORE)
        .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()));
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    kafka.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    Properties props = Coordinator.config(kafka, applicationId, stateDir, StreamsConfig.EXACTLY_ONCE_V2, null);
    AtomicLong produced = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (KafkaStreams app = new KafkaStreams(builder.build(), props);
         KafkaConsumer<String, byte[]> counter = outputCounter(bootstrapServers, output)) {
      StreamsStartup.startAndAwait("Kafka Streams baseline", Duration.ofMinutes(2), app);
      Thread feeder = Thread.ofPlatform().name("loadtest-eos-feeder").daemon().start(
          () -> feed(bootstrapServers, input, recordBytes, produced, consumed, stop));
      try {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long end = windowStart + duration.toNanos();
        long atWindowStart = -1;
        while (System.nanoTime() - end < 0) {
          ConsumerRecords<String, byte[]> records = counter.poll(Duration.ofMillis(50));
          consumed.addAndGet(records.count());
          if (atWindowStart < 0 && System.nanoTime() - windowStart >= 0) {
            atWindowStart = consumed.get();
          }
        }
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        return new Result(consumed.get() - Math.max(0, atWindowStart), seconds);
      } finally {
        stop.set(true);
        feeder.join();
        app.close(Duration.ofSeconds(30));
      }
    }
  }

  /** The application's one step: read the key's entry, update it, write one record out. */
  private static final class ReadModifyWrite implements Processor<String, byte[], String, byte[]> {

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      byte[] previous = store.get(record.key());
      byte[] next = record.value().clone();
      next[0] = (byte) (previous == null ? 0 : previous[0] + 1);
      store.put(record.key(), next);
      context.forward(record.withValue(next));
    }
  }

  private static void feed(String bootstrapServers, String input, int recordBytes, AtomicLong produced,
      AtomicLong consumed, AtomicBoolean stop) {
    byte[] value = KafkaBaseline.value(recordBytes);
    try (KafkaProducer<String, byte[]> producer =
             new KafkaProducer<>(KafkaBaseline.producerProperties(bootstrapServers, "stepstream-loadtest-eos-feeder"))) {
      long i = 0;
      while (!stop.get()) {
        if (produced.get() - consumed.get() >= MAX_BACKLOG) {
          Thread.sleep(1);
          continue;
        }
        producer.send(new ProducerRecord<>(input, "k" + (i++ % KEYS), value));
        produced.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static KafkaConsumer<String, byte[]> outputCounter(String bootstrapServers, String output) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
        .map(info -> new TopicPartition(output, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("stepstream-eos-baseline");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }
}
