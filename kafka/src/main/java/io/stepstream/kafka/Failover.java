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
 * long GC, a network blip) looks like a death: a rebalance, then the member rejoins. A transaction
 * the dead member left open holds back {@code read_committed} readers of its output until the
 * transaction times out, so that timeout is as short: 6 s, against a commit every 100 ms.
 */
public final class Failover {

  /** Session timeout of every group member, milliseconds. */
  public static final int SESSION_TIMEOUT_MS = 6_000;
  /** Heartbeat interval, milliseconds: a third of the session timeout. */
  public static final int HEARTBEAT_INTERVAL_MS = 2_000;
  /** Transaction timeout of the exactly-once applications, milliseconds. */
  public static final int TRANSACTION_TIMEOUT_MS = 6_000;

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
