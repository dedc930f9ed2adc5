package io.stepstream.kafka;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting Kafka Streams applications: the one wait-until-RUNNING loop every role uses, and the one
 * place that decides what a failed stream thread does.
 */
public final class StreamsStartup {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsStartup.class);

  private StreamsStartup() {}

  /**
   * Starts the applications and waits until all of them run.
   *
   * @param what names the applications in the error, e.g. "coordinator"
   * @throws IllegalStateException when one fails (ERROR, PENDING_SHUTDOWN, ...) or the timeout passes
   */
  public static void startAndAwait(String what, Duration timeout, KafkaStreams... apps) {
    for (KafkaStreams app : apps) {
      // A stream thread that dies of an exception Streams does not handle itself (a transaction
      // fenced or aborted while a broker fails over: InvalidTxnStateException, ...) is replaced, its
      // tasks resuming from their last commit. Streams' default shuts the whole client down for good,
      // which left a surviving instance without its coordinator after a broker was killed.
      app.setUncaughtExceptionHandler(error -> {
        LOG.error("A stream thread of the {} failed; starting a new one in its place", what, error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      app.start();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean running = true;
      StringBuilder states = new StringBuilder();
      for (KafkaStreams app : apps) {
        KafkaStreams.State state = app.state();
        states.append(states.isEmpty() ? "" : ", ").append(state);
        if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
          throw new IllegalStateException(what + " failed to start: " + states);
        }
        running &= state == KafkaStreams.State.RUNNING;
      }
      if (running) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not reach RUNNING within " + timeout.toSeconds() + " s: " + states);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting " + what, e);
      }
    }
  }
}
