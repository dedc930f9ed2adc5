package io.stepstream.projector;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The history store's values: the AWS-visible events one batch added, as one page stored under the
 * id of its last event ({@link StoreKeys#event}). One store write (and one changelog record) per
 * batch rather than per event: a STANDARD execution that runs to its end in one command wrote a
 * dozen history records, more than all its other records together; the changelog the broker keeps
 * and compacts, and a restore reads, is that much shorter.
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

  /** A page to store: its key's event id and its value. */
  record Page(long lastEventId, byte[] value) {}

  /** The pages of events in id order, each at most {@link #PAGE_BYTES} unless one event is larger. */
  static List<Page> pages(List<HistoryEvent> events) {
    List<Page> pages = new ArrayList<>(1);
    HistoryEventBatch.Builder page = HistoryEventBatch.newBuilder();
    int bytes = 0;
    for (HistoryEvent event : events) {
      int size = event.getSerializedSize();
      if (page.getEventsCount() > 0 && bytes + size > PAGE_BYTES) {
        pages.add(page(page));
        page = HistoryEventBatch.newBuilder();
        bytes = 0;
      }
      page.addEvents(event);
      bytes += size;
    }
    if (page.getEventsCount() > 0) {
      pages.add(page(page));
    }
    return pages;
  }

  private static Page page(HistoryEventBatch.Builder page) {
    return new Page(page.getEvents(page.getEventsCount() - 1).getId(), page.build().toByteArray());
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
