package io.stepstream.projector;

/**
 * A position in a newest-first listing: the last execution returned. The next page starts after it.
 *
 * @param startTimeMs that execution's start (epoch milliseconds)
 * @param executionArn that execution's ARN
 */
public record ListCursor(long startTimeMs, String executionArn) {}
