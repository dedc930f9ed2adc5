package io.stepstream.projector;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.stepstream.proto.HistoryEventBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A batch from an events topic, parsed, with the bytes each of its events arrived as: the history
 * store keeps those bytes as they are ({@link HistoryPages}), so no event's JSON is encoded again.
 *
 * @param batch the parsed batch
 * @param events the bytes of {@code batch.getEventsList()}, in the same order
 */
record ReceivedBatch(HistoryEventBatch batch, List<ByteString> events) {

  /** Reads an events topic's records (null stays null). */
  static final Deserializer<ReceivedBatch> DESERIALIZER = (topic, bytes) -> {
    if (bytes == null) {
      return null;
    }
    try {
      return new ReceivedBatch(HistoryEventBatch.parseFrom(bytes), eventBytes(bytes));
    } catch (IOException e) {
      throw new SerializationException("not a valid HistoryEventBatch on " + topic, e);
    }
  };

  /** The tag of {@code events} (field number, then the length-delimited wire type). */
  private static final int EVENTS_TAG = HistoryEventBatch.EVENTS_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /** The bytes of each event of a serialised batch, sharing its array (nothing is copied or decoded). */
  private static List<ByteString> eventBytes(byte[] batch) throws IOException {
    CodedInputStream input = CodedInputStream.newInstance(batch);
    input.enableAliasing(true);
    List<ByteString> events = new ArrayList<>();
    for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
      if (tag == EVENTS_TAG) {
        events.add(input.readBytes());
      } else if (!input.skipField(tag)) {
        throw new InvalidProtocolBufferException("an end-group tag in a HistoryEventBatch");
      }
    }
    return events;
  }
}
