package io.stepstream.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the broker's ERROR lines for a rejection that is part of the protocol, not a fault.
 *
 * <p>With transactions v2 (KIP-890) a broker refuses a transactional batch whose sequence is not 0
 * while it holds no state for the producer on that partition (KAFKA-18202); with several requests in
 * flight, a later batch can arrive first. The producer retries it and the transaction goes on, but
 * the broker's ReplicaManager logs each refusal at ERROR with a stack trace. Every other error of the
 * broker is kept.
 */
public final class RetriableSequenceErrorFilter extends Filter<ILoggingEvent> {

  @Override
  public FilterReply decide(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null && "kafka.server.ReplicaManager".equals(event.getLoggerName())
        && thrown.getClassName().endsWith("OutOfOrderSequenceException")
        && thrown.getMessage() != null && thrown.getMessage().contains("transactions v2")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
