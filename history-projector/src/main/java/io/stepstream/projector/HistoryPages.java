package io.stepstream.projector;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The history store's values: the AWS-visible events one batch added, as one page stored under the
 * id of its last event ({@link StoreKeys#event}). One store write (and one changelog record) per
 * batch rather than per event: a STANDARD execution that runs to its end in one command added a
 * dozen changelog records to the projector's transaction, each as costly as the execution's own
 * records.
 *
 * <p>A page is a {@link HistoryEventBatch} holding only {@code events}, so it starts with that field's
 * tag (0x0A). Stores written before pages hold one {@link HistoryEvent} per key, which starts with the
 * tag of its id (0x08, every visible event has one): both are read. A page holds at most
 * {@link #PAGE_BYTES} of events (one larger event is a page of its own), well under the changelog
 * topic's record limit.
 */
final class HistoryPages {

  /** The events a page holds at most, serialised; a Map state's batch can hold thousands. */
  static final int PAGE_BYTES = 256 * 1024;

  private static final byte PAGE_TAG = 0x0A;

  private HistoryPages() {}

  /** A visible event to store: its id and the bytes it arrived as ({@link ReceivedBatch}). */
  record Stored(long id, ByteString bytes) {}

  /** A page to store: its key's event id and its value. */
  record Page(long lastEventId, byte[] value) {}

  /**
   * The pages of events in id order, each at most {@link #PAGE_BYTES} unless one event is larger: the
   * events' bytes framed as a {@link HistoryEventBatch}'s {@code events}, as they arrived.
   */
  static List<Page> pages(List<Stored> events) {
    List<Page> pages = new ArrayList<>(1);
    int first = 0;
    int bytes = 0;
    for (int i = 0; i < events.size(); i++) {
      int size = CodedOutputStream.computeBytesSize(HistoryEventBatch.EVENTS_FIELD_NUMBER, events.get(i).bytes());
      if (i > first && bytes + size > PAGE_BYTES) {
        pages.add(page(events.subList(first, i), bytes));
        first = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (first < events.size()) {
      pages.add(page(events.subList(first, events.size()), bytes));
    }
    return pages;
  }

  private static Page page(List<Stored> events, int bytes) {
    byte[] value = new byte[bytes];
    CodedOutputStream output = CodedOutputStream.newInstance(value);
    try {
      for (Stored event : events) {
        output.writeBytes(HistoryEventBatch.EVENTS_FIELD_NUMBER, event.bytes());
      }
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("a page's size was miscounted", e);
    }
    return new Page(events.getLast().id(), value);
  }

  /** The events of a stored value, in id order: a page, or one event as stores held before pages. */
  static List<HistoryEvent> events(byte[] value) {
    try {
      if (value.length > 0 && value[0] == PAGE_TAG) {
        return HistoryEventBatch.parseFrom(value).getEventsList();
      }
      return List.of(HistoryEvent.parseFrom(value));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a history store value is neither a page nor an event", e);
    }
  }
}
