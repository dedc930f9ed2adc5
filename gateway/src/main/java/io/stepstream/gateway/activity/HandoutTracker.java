package io.stepstream.gateway.activity;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one gateway read of one activity-tasks partition and handed out, as a commit the next holder
 * of the partition can resume from without skipping a task or handing one out again.
 *
 * <p>Tasks of several activities share a partition and are handed out in the order their pollers
 * come, not in offset order, so an offset alone cannot say what was handed out: the committed offset
 * is the first task not handed out yet (commit after hand-out: nothing is skipped), and the commit's
 * metadata lists the offsets after it that were handed out (nothing is handed out twice). The next
 * holder starts at the offset and passes over the listed ones. The list is ranges relative to the
 * offset ({@code handed-out:2,5-9}), cut at {@link #MAX_METADATA_CHARS} (the broker's default
 * {@code offset.metadata.max.bytes} is 4096): tasks handed out beyond what fits are handed out again
 * after a move. Not thread-safe; the queue guards it with its lock.
 */
final class HandoutTracker {

  static final int MAX_METADATA_CHARS = 4000;
  private static final Logger LOG = LoggerFactory.getLogger(HandoutTracker.class);
  private static final String PREFIX = "handed-out:";

  /** Offsets read and not handed out. */
  private final TreeSet<Long> waiting = new TreeSet<>();
  /** Offsets a former holder handed out and this one has not read yet: start to end, inclusive. */
  private final TreeMap<Long, Long> handedOutBefore;
  /** The offset after the last one read, or -1 before the first. */
  private long next = -1;
  private OffsetAndMetadata lastCommit;

  /**
   * @param committed the partition's committed offset and metadata when it was assigned here, or null
   */
  HandoutTracker(OffsetAndMetadata committed) {
    this.handedOutBefore = committed == null ? new TreeMap<>() : parse(committed);
  }

  /**
   * Records an offset read (in increasing order).
   *
   * @return false when a former holder handed that task out already: pass over it
   */
  boolean read(long offset) {
    next = offset + 1;
    handedOutBefore.headMap(offset).entrySet().removeIf(range -> range.getValue() < offset);
    Map.Entry<Long, Long> range = handedOutBefore.floorEntry(offset);
    if (range != null && range.getValue() >= offset) {
      return false;
    }
    waiting.add(offset);
    return true;
  }

  /** Records a task handed out (or one that cannot be read, so never will be). */
  void handedOut(long offset) {
    waiting.remove(offset);
  }

  /** The commit that says what was handed out so far, or null when nothing was read here. */
  OffsetAndMetadata current() {
    if (next < 0) {
      return null;
    }
    long position = waiting.isEmpty() ? next : waiting.first();
    StringBuilder metadata = new StringBuilder(PREFIX);
    boolean complete = true;
    // Handed out after the position: the gaps between the tasks still waiting, up to the last read.
    long from = position;
    for (long offset : waiting) {
      complete &= append(metadata, position, from, offset - 1);
      from = offset + 1;
    }
    complete &= append(metadata, position, from, next - 1);
    for (Map.Entry<Long, Long> range : handedOutBefore.entrySet()) {
      complete &= append(metadata, position, Math.max(range.getKey(), next), range.getValue());
    }
    if (!complete) {
      LOG.debug("Handed-out offsets after {} do not all fit in a commit; the rest may be handed out "
          + "again after a move", position);
    }
    return new OffsetAndMetadata(position, metadata.toString());
  }

  /** {@link #current()} if it changed since the last call, else null. */
  OffsetAndMetadata changed() {
    OffsetAndMetadata commit = current();
    if (commit == null || commit.equals(lastCommit)) {
      return null;
    }
    lastCommit = commit;
    return commit;
  }

  /** Appends a range (relative to {@code position}) if it is not empty and fits; false when it did not fit. */
  private static boolean append(StringBuilder metadata, long position, long from, long to) {
    if (from > to) {
      return true;
    }
    String range = from == to ? Long.toString(from - position) : (from - position) + "-" + (to - position);
    if (metadata.length() + range.length() + 1 > MAX_METADATA_CHARS) {
      return false;
    }
    if (metadata.length() > PREFIX.length()) {
      metadata.append(',');
    }
    metadata.append(range);
    return true;
  }

  /** The handed-out ranges of a commit; none when its metadata is not ours. */
  static TreeMap<Long, Long> parse(OffsetAndMetadata committed) {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    String metadata = committed.metadata();
    if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() == PREFIX.length()) {
      return ranges;
    }
    long position = committed.offset();
    try {
      for (String range : metadata.substring(PREFIX.length()).split(",")) {
        int dash = range.indexOf('-');
        long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
        long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
        ranges.put(position + from, position + to);
      }
    } catch (NumberFormatException e) {
      LOG.warn("Unreadable handed-out offsets in a commit: {}", metadata);
      ranges.clear();
    }
    return ranges;
  }
}
