package io.stepstream.projector;

import io.stepstream.proto.ExecutionStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * The byte layouts of the projector's keys, each sorted the way it is scanned. ARNs never hold a
 * 0x00 byte, so a 0x00 after an ARN ends it: the keys of one ARN are never mixed with those of a
 * longer ARN that starts with the same text.
 */
final class StoreKeys {

  /** The status byte of the "any status" listing. */
  static final byte ANY_STATUS = 0;

  private StoreKeys() {}

  /**
   * History: ARN, 0x00, 8-byte big-endian event id (of the last event of the page stored there,
   * {@link HistoryPages}): one execution's pages range-scan in order.
   */
  static Bytes event(String executionArn, long eventId) {
    byte[] arn = utf8(executionArn);
    return Bytes.wrap(ByteBuffer.allocate(arn.length + 9).put(arn).put((byte) 0).putLong(eventId).array());
  }

  /** The event id at the end of a history key. */
  static long eventId(Bytes key) {
    byte[] bytes = key.get();
    return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
  }

  /**
   * Listing: state machine ARN, 0x00, status byte ({@link #ANY_STATUS} or the status number),
   * 8-byte inverted start time, execution ARN: a scan from the prefix is newest first.
   */
  static Bytes listing(String stateMachineArn, byte status, long startTimeMs, String executionArn) {
    byte[] machine = utf8(stateMachineArn);
    byte[] execution = utf8(executionArn);
    return Bytes.wrap(ByteBuffer.allocate(machine.length + 10 + execution.length).put(machine).put((byte) 0)
        .put(status).putLong(Long.MAX_VALUE - startTimeMs).put(execution).array());
  }

  /** The first key of a listing (inclusive). */
  static Bytes listingStart(String stateMachineArn, byte status) {
    byte[] machine = utf8(stateMachineArn);
    return Bytes.wrap(ByteBuffer.allocate(machine.length + 2).put(machine).put((byte) 0).put(status).array());
  }

  /** A key after every key of a listing (exclusive end). */
  static Bytes listingEnd(String stateMachineArn, byte status) {
    byte[] machine = utf8(stateMachineArn);
    return Bytes.wrap(ByteBuffer.allocate(machine.length + 2).put(machine).put((byte) 0).put((byte) (status + 1))
        .array());
  }

  /** The execution ARN at the end of a listing key. */
  static String listedExecution(Bytes key, String stateMachineArn) {
    byte[] bytes = key.get();
    int offset = utf8(stateMachineArn).length + 10;
    return new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
  }

  /** The status byte of a listing. */
  static byte status(ExecutionStatus status) {
    return status == null ? ANY_STATUS : (byte) status.getNumber();
  }

  /** Expiry: 8-byte big-endian time the execution's history may be dropped, execution ARN: due first. */
  static Bytes expiry(long expiresAtMs, String executionArn) {
    byte[] arn = utf8(executionArn);
    return Bytes.wrap(ByteBuffer.allocate(8 + arn.length).putLong(expiresAtMs).put(arn).array());
  }

  /** The execution ARN of an expiry key. */
  static String expiringExecution(Bytes key) {
    byte[] bytes = key.get();
    return new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8);
  }

  /** The 8-byte big-endian time of an expiry key. */
  static long expiresAt(Bytes key) {
    return ByteBuffer.wrap(key.get(), 0, 8).getLong();
  }

  /** The key after {@code key} in byte order: for exclusive cursors. */
  static Bytes successor(Bytes key) {
    byte[] bytes = key.get();
    byte[] next = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, next, 0, bytes.length);
    return Bytes.wrap(next);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
