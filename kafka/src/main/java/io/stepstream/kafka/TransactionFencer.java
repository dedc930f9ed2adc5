package io.stepstream.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the transactions a dead instance left open as soon as its group notices it is gone, instead
 * of when they time out.
 *
 * <p>An exactly-once Kafka Streams application (the STANDARD coordinator, the projector, the map-run
 * service) writes through one transactional producer per stream thread, with the transactional id
 * {@code <application id>-<process id>-<thread index>}. When an instance dies mid-transaction, every
 * {@code read_committed} reader of the partitions it wrote, the new owner's restore of its stores
 * included, stops at that open transaction until the broker aborts it. The broker does so only after
 * the producer's {@code transaction.timeout.ms}, which has to be long enough that a live instance on a
 * busy machine never sees its own transactions aborted (an abort fences the live producer, and its
 * stream thread drops and re-creates its tasks, on a loaded machine again and again). So the
 * timeout cannot be what bounds failover.
 *
 * <p>Instead, this watches the consumer groups of those applications: it remembers the stream threads
 * of every member (their client ids, {@code <application id>-<process id>-StreamThread-<n>-consumer}),
 * and when a member leaves the group (its session timed out: static members are never removed
 * otherwise), it initialises a producer with each of that member's transactional ids. That is Kafka's
 * own fencing: the transaction coordinator aborts the open transaction at once and bumps the epoch,
 * so the dead producer can never commit it. A member that was not dead but only cut off would be
 * fenced by its group's generation anyway; its stream thread rejoins, as it would have.
 */
public final class TransactionFencer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionFencer.class);
  /** How often the groups are looked at: a departure is fenced at most this long after it. */
  static final Duration PERIOD = Duration.ofMillis(500);
  private static final Set<GroupState> UNSETTLED = Set.of(GroupState.DEAD, GroupState.EMPTY, GroupState.UNKNOWN);
  private static final Pattern STREAM_THREAD_CONSUMER = Pattern.compile("(.+)-StreamThread-(\\d+)-consumer");

  private final Properties kafka;
  private final Admin admin;
  private final ScheduledExecutorService scheduler;
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  /** Per group: member identity (group instance id, else member id) to its transactional ids. */
  private final Map<String, Map<String, Set<String>>> known = new HashMap<>();

  private TransactionFencer(Properties kafka) {
    this.kafka = new Properties();
    this.kafka.putAll(kafka);
    Properties adminProps = new Properties();
    adminProps.putAll(kafka);
    adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "stepstream-transaction-fencer");
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    this.admin = Admin.create(adminProps);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "transaction-fencer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts watching no group; add them with {@link #watch}. */
  public static TransactionFencer start(Properties kafka) {
    TransactionFencer fencer = new TransactionFencer(kafka);
    fencer.scheduler.scheduleWithFixedDelay(fencer::tick, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return fencer;
  }

  /** Watches the group of an exactly-once Kafka Streams application (its application id). */
  public void watch(String applicationId) {
    groups.add(applicationId);
  }

  private void tick() {
    List<String> watched = List.copyOf(groups);
    if (watched.isEmpty()) {
      return;
    }
    Map<String, ConsumerGroupDescription> described;
    try {
      described = admin.describeConsumerGroups(watched).all().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // A broker failing over: the next tick asks again. Members that left meanwhile are still known.
      LOG.debug("Cannot describe the groups {}: {}", watched, e.toString());
      return;
    } catch (Throwable e) {
      LOG.warn("The transaction fencer failed", e);
      return;
    }
    for (ConsumerGroupDescription group : described.values()) {
      if (group.members().isEmpty() || UNSETTLED.contains(group.groupState())) {
        // A group coordinator failing over, or every member gone at once: nothing to compare with
        // (a dead group's transactions end at their timeout; fencing every member is never right).
        continue;
      }
      Map<String, Set<String>> now = members(group.members());
      Map<String, Set<String>> before = known.put(group.groupId(), now);
      if (before == null) {
        continue;
      }
      for (Map.Entry<String, Set<String>> member : before.entrySet()) {
        if (!now.containsKey(member.getKey())) {
          fence(group.groupId(), member.getKey(), member.getValue());
        }
      }
    }
  }

  /** The members of a group and the transactional ids of their stream threads. */
  static Map<String, Set<String>> members(Collection<MemberDescription> members) {
    Map<String, Set<String>> ids = new HashMap<>();
    for (MemberDescription member : members) {
      String transactionalId = transactionalId(member.clientId());
      if (transactionalId == null) {
        continue;
      }
      String identity = member.groupInstanceId().orElse(member.consumerId());
      ids.computeIfAbsent(identity, k -> new HashSet<>()).add(transactionalId);
    }
    return ids;
  }

  /**
   * The transactional id of the stream thread whose main consumer has this client id (Kafka Streams
   * names both from the same {@code <application id>-<process id>} prefix and thread index), or null
   * for a client that is not a stream thread's consumer.
   */
  static String transactionalId(String clientId) {
    Matcher matcher = STREAM_THREAD_CONSUMER.matcher(clientId);
    return matcher.matches() ? matcher.group(1) + "-" + matcher.group(2) : null;
  }

  private void fence(String group, String member, Set<String> transactionalIds) {
    for (String transactionalId : transactionalIds) {
      long start = System.nanoTime();
      Properties props = new Properties();
      props.putAll(kafka);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "stepstream-fencer-" + transactionalId);
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
      try (KafkaProducer<byte[], byte[]> producer =
               new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
        LOG.info("Fenced {} of {}, which left group {}: its open transaction is aborted ({} ms)", transactionalId,
            member, group, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } catch (RuntimeException e) {
        LOG.warn("Cannot fence {} of {}, which left group {}; its open transaction ends at its timeout: {}",
            transactionalId, member, group, e.toString());
      }
    }
  }

  @Override
  public void close() {
    // A fence under way finishes (it takes a round trip or two); then the scheduler stops.
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
