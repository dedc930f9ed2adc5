package io.stepstream.kafka;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** Starting Kafka Streams applications: the one wait-until-RUNNING loop every role uses. */
public final class StreamsStartup {

  private StreamsStartup() {}

  /**
   * Starts the applications and waits until all of them run.
   *
   * @param what names the applications in the error, e.g. "coordinator"
   * @throws IllegalStateException when one fails (ERROR, PENDING_SHUTDOWN, ...) or the timeout passes
   */
  public static void startAndAwait(String what, Duration timeout, KafkaStreams... apps) {
    for (KafkaStreams app : apps) {
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
