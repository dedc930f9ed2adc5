package io.stepstream.maprun.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.Batcher;
import io.stepstream.asl.maprun.ItemSelection;
import io.stepstream.maprun.reader.ItemPage;
import io.stepstream.maprun.reader.ItemReaderException;
import io.stepstream.maprun.reader.ItemReaders;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.proto.ChildInput;
import io.stepstream.proto.ItemsRead;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunIoFailed;
import io.stepstream.proto.MapRunState;
import io.stepstream.proto.StartMapRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads items and writes results for map runs on a small pool of threads, and sends each outcome as
 * a map-run command. A page is built from the run's cursor alone (same cursor, same page), so a read
 * asked twice, or again after a crash, gives the same children.
 *
 * <p>The cursor of a run is {@code {"c": <reader cursor>, "s": <items of that page already taken>,
 * "i": <index of the next item>}}: readers resume at page boundaries, and a batch may end inside a
 * page.
 */
public final class IoPool implements MapRunIo, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IoPool.class);
  /** Items asked of a reader at a time. */
  static final int PAGE_ITEMS = 1_000;
  /**
   * Child inputs per ItemsRead record, at most, in bytes: the record stays well under Kafka's
   * default 1 MiB record limit (a single input may be up to AWS's 256 KiB payload limit).
   */
  static final int PAGE_BYTES = 512 * 1024;

  private final ObjectStore store;
  private final Consumer<MapRunCommand> send;
  private final ResultsWriter writer;
  private final ExecutorService executor;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * @param send delivers a command to the map-run commands topic
   * @param writer writes a finished run's results
   */
  public IoPool(ObjectStore store, Consumer<MapRunCommand> send, ResultsWriter writer, int threads) {
    this.store = store;
    this.send = send;
    this.writer = writer;
    this.executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "map-run-io");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Writes a run's results; implemented over the children store of the instance that owns the run. */
  public interface ResultsWriter {
    /**
     * Writes and returns the ResultsWritten or MapRunIoFailed command for the run, or null when the
     * store failed in a way that writing again may fix.
     */
    MapRunCommand write(MapRunState run, int partition);
  }

  @Override
  public void read(MapRunState run, State.Map map, int children) {
    String key = "r:" + run.getSpec().getMapRunArn() + "#" + run.getCursor();
    if (!inFlight.add(key)) {
      return;
    }
    executor.execute(() -> {
      try {
        // Up to `children` children, as a chain of pages of bounded size, each starting where the
        // one before ended: the run starts each page's children as it arrives.
        String from = run.getCursor();
        int remaining = children;
        Source source = new Source(run.getSpec(), map);
        while (true) {
          MapRunCommand page = readPage(run, source, from, remaining);
          if (page == null) {
            // A transient store failure: the run asks for this read again (MapRunProcessor.IO_RETRY_MS).
            return;
          }
          if (!page.hasItemsRead()) {
            send.accept(page);
            return;
          }
          ItemsRead read = page.getItemsRead();
          remaining -= read.getChildrenCount();
          boolean more = remaining > 0 && !read.getExhausted() && read.getChildrenCount() > 0;
          send.accept(more ? page.toBuilder().setItemsRead(read.toBuilder().setMoreFollow(true)).build() : page);
          if (!more) {
            return;
          }
          from = read.getChildren(read.getChildrenCount() - 1).getCursorAfter();
        }
      } catch (RuntimeException e) {
        LOG.warn("Reading items of {} failed", run.getSpec().getMapRunArn(), e);
        send.accept(failure(run, StatesErrors.ITEM_READER_FAILED, String.valueOf(e.getMessage()), run.getCursor()));
      } finally {
        inFlight.remove(key);
      }
    });
  }

  @Override
  public void write(MapRunState run, int partition) {
    String key = "w:" + run.getSpec().getMapRunArn();
    if (!inFlight.add(key)) {
      return;
    }
    executor.execute(() -> {
      try {
        MapRunCommand written = writer.write(run, partition);
        if (written != null) { // null: a transient store failure; the run asks again
          send.accept(written);
        }
      } catch (RuntimeException e) {
        LOG.warn("Writing results of {} failed", run.getSpec().getMapRunArn(), e);
        send.accept(failure(run, StatesErrors.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()), ""));
      } finally {
        inFlight.remove(key);
      }
    });
  }

  /**
   * Builds up to {@code wanted} child inputs (at most {@link #PAGE_BYTES} of them) from {@code from};
   * null when the store failed in a way that reading again may fix (network, 5xx, SlowDown).
   */
  MapRunCommand readPage(MapRunState run, String from, State.Map map, int wanted) {
    return readPage(run, new Source(run.getSpec(), map), from, wanted);
  }

  /**
   * What every page of a run's read needs, parsed from its spec once per read rather than per page
   * (inline items may be 256 KiB of JSON).
   */
  private record Source(ItemSelection selection, JsonNode batchInput, JsonNode inline, JsonNode reader) {
    Source(StartMapRun spec, State.Map map) {
      this(new ItemSelection(map, Json.parse(spec.getStateInput()), Json.parse(spec.getContext()),
              Json.parse(spec.getVariables()), spec.getSeed()),
          spec.getBatchInput().isEmpty() ? null : Json.parse(spec.getBatchInput()),
          spec.getItemReader().isEmpty() ? Json.parse(spec.getInlineItems()) : null,
          spec.getItemReader().isEmpty() ? null : Json.parse(spec.getItemReader()));
    }
  }

  private MapRunCommand readPage(MapRunState run, Source source, String from, int wanted) {
    StartMapRun spec = run.getSpec();
    Cursor cursor = Cursor.parse(from);
    ItemSelection selection = source.selection();
    Batcher batcher = new Batcher(spec.getBatching(), spec.getMaxItemsPerBatch(), spec.getMaxInputBytesPerBatch(),
        source.batchInput());
    JsonNode inline = source.inline();
    JsonNode reader = source.reader();
    List<ChildInput> children = new ArrayList<>();
    int[] bytes = {0};
    String pageCursor = cursor.page();
    int skip = cursor.skip();
    long index = cursor.index();
    long firstItem = index;
    boolean exhausted = false;
    try {
      while (children.size() < wanted && bytes[0] < PAGE_BYTES) {
        ItemPage page = inline != null ? inlinePage(inline, pageCursor) : ItemReaders.read(store, reader, pageCursor,
            PAGE_ITEMS);
        List<JsonNode> items = page.items();
        for (int k = skip; k < items.size() && children.size() < wanted && bytes[0] < PAGE_BYTES; k++) {
          Cursor before = new Cursor(pageCursor, k, index);
          if (batcher.pending() == 0) {
            firstItem = index;
          }
          Batcher.Batch batch = batcher.add(selection.select(index, items.get(k)));
          index++;
          if (batch == null) {
            continue;
          }
          boolean itemWaits = spec.getBatching() && batcher.pending() > 0;
          Cursor after = itemWaits ? before
              : k + 1 < items.size() ? new Cursor(pageCursor, k + 1, index) : new Cursor(page.nextCursor(), 0, index);
          children.add(child(batch, firstItem, after, bytes));
          if (itemWaits) {
            firstItem = index - 1;
          }
        }
        if (children.size() >= wanted || bytes[0] >= PAGE_BYTES) {
          break;
        }
        if (page.exhausted()) {
          Batcher.Batch last = batcher.flush();
          if (last != null) {
            children.add(child(last, firstItem, new Cursor(page.nextCursor(), 0, index), bytes));
          }
          exhausted = true;
          break;
        }
        pageCursor = page.nextCursor();
        skip = 0;
      }
    } catch (ItemReaderException e) {
      if (e.retryable()) {
        LOG.warn("Reading items of {} failed, will read again: {}", spec.getMapRunArn(), e.getMessage());
        return null;
      }
      return failure(run, StatesErrors.ITEM_READER_FAILED, e.getMessage(), from);
    } catch (StatesException e) {
      return failure(run, e.error(), e.cause(), from);
    }
    // Children that were read but not asked for are read again from their cursor next time.
    if (children.size() > wanted) {
      children = children.subList(0, wanted);
      exhausted = false;
    }
    return MapRunCommand.newBuilder().setTimeMs(System.currentTimeMillis()).setMapRunArn(spec.getMapRunArn())
        .setItemsRead(ItemsRead.newBuilder().setFromCursor(from).addAllChildren(children)
            .setExhausted(exhausted))
        .build();
  }

  private static ChildInput child(Batcher.Batch batch, long firstItem, Cursor after, int[] bytes) {
    String input = Json.write(batch.input());
    bytes[0] += input.length();
    return ChildInput.newBuilder().setInput(input).setFirstItem(firstItem)
        .setItemCount(batch.items()).setCursorAfter(after.text()).build();
  }

  /** Inline items (ItemsPath / Items) paged like a reader: the page cursor is the first index. */
  private static ItemPage inlinePage(JsonNode items, String pageCursor) {
    int from = pageCursor == null || pageCursor.isEmpty() ? 0 : Integer.parseInt(pageCursor);
    int to = Math.min(items.size(), from + PAGE_ITEMS);
    List<JsonNode> page = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      page.add(items.get(i));
    }
    return new ItemPage(page, Integer.toString(to), to >= items.size());
  }

  private static MapRunCommand failure(MapRunState run, String error, String cause, String fromCursor) {
    return MapRunCommand.newBuilder().setTimeMs(System.currentTimeMillis()).setMapRunArn(run.getSpec().getMapRunArn())
        .setIoFailed(MapRunIoFailed.newBuilder().setError(error).setCause(cause == null ? "" : cause)
            .setFromCursor(fromCursor))
        .build();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** A run's reading position. */
  record Cursor(String page, int skip, long index) {
    static Cursor parse(String text) {
      if (text == null || text.isEmpty()) {
        return new Cursor(null, 0, 0);
      }
      JsonNode node = Json.parse(text);
      return new Cursor(node.path("c").isNull() || node.path("c").isMissingNode() ? null : node.get("c").asText(),
          node.path("s").asInt(), node.path("i").asLong());
    }

    String text() {
      ObjectNode node = Json.object();
      if (page == null) {
        node.putNull("c");
      } else {
        node.put("c", page);
      }
      return Json.write(node.put("s", skip).put("i", index));
    }
  }
}
