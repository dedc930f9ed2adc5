package io.stepstream.maprun.reader;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON object holding a top-level array: one item per element, streamed with Jackson's parser.
 * Position: {@code {"o": <byte offset of the next element, or of the closing bracket>, "i": <its index>}}.
 *
 * <p>A page resumes by reading from the element's offset with a {@code [} put in front: the rest of
 * the array, {@code e_i, e_i+1, ... ]}, is then itself a complete array. Anything other than an array
 * fails as AWS fails it ("Attempting to map over non-iterable node.").
 */
final class JsonArraySource implements ItemSource {

  /** Jackson reads ahead of the token it returns by at most its input buffer. */
  private static final int READ_AHEAD = 64 * 1024;

  /** Reads one element where the parser stands; the rest of the array follows it, so no trailing check. */
  private static final ObjectReader ELEMENT =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectStore store;
  private final ReaderConfig config;

  JsonArraySource(ObjectStore store, ReaderConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Page read(ObjectNode position, int limit) throws ItemReaderException {
    long offset = position == null ? 0 : position.path("o").asLong();
    long index = position == null ? 0 : position.path("i").asLong();
    // Parser offsets count the synthetic '[' of a resumed read; this turns them into object offsets.
    long shift = position == null ? 0 : offset - 1;
    List<JsonNode> items = new ArrayList<>();
    try (SizeGuard guard = new SizeGuard(open(offset, position != null));
        JsonParser parser = Json.MAPPER.createParser(guard)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw invalid("the object is empty", offset);
      }
      if (token != JsonToken.START_ARRAY) {
        throw new ItemReaderException("Attempting to map over non-iterable node.");
      }
      while (true) {
        token = parser.nextToken();
        long at = parser.currentTokenLocation().getByteOffset() + shift;
        if (token == JsonToken.END_ARRAY) {
          if (parser.nextToken() != null) {
            throw invalid("unexpected content after the array", parser.currentTokenLocation().getByteOffset() + shift);
          }
          return new Page(items, position(at, index + items.size()), true);
        }
        if (token == null) {
          throw invalid("the array is not closed", at);
        }
        if (items.size() == limit) {
          return new Page(items, position(at, index + items.size()), false);
        }
        guard.startItem(parser.currentTokenLocation().getByteOffset(), index + items.size());
        JsonNode item = ELEMENT.readTree(parser);
        guard.endItem();
        items.add(item == null ? Json.NODES.nullNode() : item);
      }
    } catch (ItemTooLarge e) {
      throw Limits.itemTooLarge(config.source(), "index " + e.index);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset() + shift;
      throw invalid(e.getOriginalMessage(), at);
    } catch (IOException e) {
      throw new ItemReaderException("Reading " + config.source() + " failed: " + e.getMessage(), true, e);
    }
  }

  private InputStream open(long offset, boolean resumed) throws ItemReaderException {
    try {
      InputStream in = store.open(config.bucket(), config.key(), offset);
      return resumed ? new SequenceInputStream(new ByteArrayInputStream(new byte[] {'['}), in) : in;
    } catch (ObjectStoreException e) {
      throw ItemReaderException.of(e);
    }
  }

  private static ObjectNode position(long offset, long index) {
    return Json.object().put("o", offset).put("i", index);
  }

  private ItemReaderException invalid(String why, long offset) {
    return new ItemReaderException("The JSON object " + config.source() + " is not valid JSON"
        + (offset >= 0 ? " at byte " + offset : "") + ": " + why);
  }

  /** Thrown by {@link SizeGuard} through the parser when one element outgrows the item limit. */
  private static final class ItemTooLarge extends IOException {
    final long index;

    ItemTooLarge(long index) {
      super("item " + index + " is larger than 8 MB", null);
      this.index = index;
    }
  }

  /**
   * Counts the bytes the parser pulls and stops it once an element spans more than the item limit, so
   * one huge element cannot fill the heap while its tree is built.
   */
  private static final class SizeGuard extends FilterInputStream {
    private long read;
    private long stopAt = Long.MAX_VALUE;
    private long index;

    SizeGuard(InputStream in) {
      super(in);
    }

    void startItem(long parserOffset, long itemIndex) {
      stopAt = parserOffset + Limits.MAX_ITEM_BYTES + READ_AHEAD;
      index = itemIndex;
    }

    /** Whitespace between elements takes no memory, so only elements are bounded. */
    void endItem() {
      stopAt = Long.MAX_VALUE;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > stopAt) {
        throw new ItemTooLarge(index);
      }
    }
  }
}
