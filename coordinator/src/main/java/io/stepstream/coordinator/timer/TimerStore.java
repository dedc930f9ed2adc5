package io.stepstream.coordinator.timer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Durable timers of one partition, keyed so that a range scan from 0 to now yields the due ones in
 * due order: {@code [due time: 8 bytes big-endian][execution ARN][0x00][timer id]}.
 */
public final class TimerStore {

  /** Store name. */
  public static final String NAME = "timers";

  private final KeyValueStore<Bytes, byte[]> store;

  public TimerStore(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  /** A due timer. */
  public record DueTimer(long dueTimeMs, String executionArn, String timerId) {}

  public void add(long dueTimeMs, String executionArn, String timerId) {
    store.put(key(dueTimeMs, executionArn, timerId), new byte[0]);
  }

  public void remove(DueTimer timer) {
    store.delete(key(timer.dueTimeMs(), timer.executionArn(), timer.timerId()));
  }

  /** Up to {@code max} timers due at or before {@code nowMs}, earliest first. */
  public List<DueTimer> due(long nowMs, int max) {
    List<DueTimer> due = new ArrayList<>();
    Bytes from = Bytes.wrap(ByteBuffer.allocate(8).putLong(0).array());
    Bytes to = Bytes.wrap(ByteBuffer.allocate(8).putLong(nowMs + 1).array());
    try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
      while (it.hasNext() && due.size() < max) {
        KeyValue<Bytes, byte[]> entry = it.next();
        DueTimer timer = parse(entry.key.get());
        if (timer.dueTimeMs() <= nowMs) {
          due.add(timer);
        }
      }
    }
    return due;
  }

  /** Up to {@code max} timers, due or not, earliest first. */
  public List<DueTimer> first(int max) {
    List<DueTimer> some = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext() && some.size() < max) {
        some.add(parse(it.next().key.get()));
      }
    }
    return some;
  }

  static Bytes key(long dueTimeMs, String executionArn, String timerId) {
    byte[] arn = executionArn.getBytes(StandardCharsets.UTF_8);
    byte[] id = timerId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + arn.length + 1 + id.length)
        .putLong(Math.max(0, dueTimeMs)).put(arn).put((byte) 0).put(id).array());
  }

  static DueTimer parse(byte[] key) {
    ByteBuffer buffer = ByteBuffer.wrap(key);
    long due = buffer.getLong();
    int separator = 8;
    while (key[separator] != 0) {
      separator++;
    }
    String arn = new String(key, 8, separator - 8, StandardCharsets.UTF_8);
    String id = new String(key, separator + 1, key.length - separator - 1, StandardCharsets.UTF_8);
    return new DueTimer(due, arn, id);
  }
}
