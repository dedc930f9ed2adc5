package io.stepstream.server;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a long-running command alive until the JVM is asked to stop (SIGTERM, SIGINT), then closes it. */
final class Shutdown {

  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {
  }

  /** Blocks until shutdown, closing the resource from the JVM's shutdown hook. */
  static void awaitThenClose(AutoCloseable resource) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping");
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Stopping failed", e);
      } finally {
        closed.countDown();
      }
    }, "stepstream-shutdown"));
    closed.await();
  }
}
