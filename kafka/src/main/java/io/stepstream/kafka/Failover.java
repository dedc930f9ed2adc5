package io.stepstream.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How fast work moves off a member that died (kill -9, a lost machine): the one home of these
 * settings, for every Kafka Streams application and every worker consumer.
 *
 * <p>Static membership means nothing but the session timeout notices a member is gone; Kafka's
 * default is 45 s. 6 s (the broker's smallest allowed, {@code group.min.session.timeout.ms}) with
 * heartbeats every 2 s moves partitions within seconds; the price is that a pause longer than that (a
 * long GC, a network blip) looks like a death: a rebalance, then the member rejoins.
 *
 * <p>A transaction the dead member left open holds back every {@code read_committed} reader of its
 * output, the new owner's restore of its stores included, until it is aborted. The transaction
 * timeout does not bound that: {@link TransactionFencer} aborts a dead member's open transactions as
 * soon as its session times out. The timeout only has to be long enough that a live member's
 * transaction never times out on a busy machine (an abort fences the live producer; its stream thread
 * drops its tasks and, under exactly-once, may restore their stores from scratch: with 6 s, a dev
 * server restarted after kill -9 on a machine at load 60 had its fresh transactions time out), so it
 * is 30 s. It is the fallback when
 * no instance is left to fence. A broker looks for timed-out transactions only every
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default; the brokers
 * Stepstream starts (dev's, the chaos harness's) check every second ({@link #ABORT_CHECK_INTERVAL_MS}).
 */
public final class Failover {

  /** Session timeout of every group member, milliseconds. */
  public static final int SESSION_TIMEOUT_MS = 6_000;
  /** Heartbeat interval, milliseconds: a third of the session timeout. */
  public static final int HEARTBEAT_INTERVAL_MS = 2_000;
  /** Transaction timeout of the exactly-once applications, milliseconds (Kafka Streams' default: 10 s). */
  public static final int TRANSACTION_TIMEOUT_MS = 30_000;

  /** The broker setting of how often timed-out transactions are looked for and aborted. */
  public static final String ABORT_CHECK_CONFIG = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
  /** The value of {@link #ABORT_CHECK_CONFIG} on the brokers Stepstream starts, milliseconds. */
  public static final int ABORT_CHECK_INTERVAL_MS = 1_000;

  private Failover() {}

  /** Sets the failover settings of a Kafka Streams application. */
  public static void streams(Properties props) {
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_INTERVAL_MS);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
  }

  /** Sets the failover settings of a plain consumer in a group (the workers'). */
  public static void consumer(Properties props) {
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(HEARTBEAT_INTERVAL_MS));
  }
}
