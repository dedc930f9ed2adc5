package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.maprun.store.ObjectStore;
import java.util.List;

/**
 * Reads the items of a Distributed Map's {@code ItemReader}, a page at a time, as AWS Step Functions
 * gives them to child executions:
 *
 * <ul>
 *   <li>{@code arn:aws:states:::s3:listObjectsV2}: one item per object,
 *       {@code {"Etag", "Key", "LastModified", "Size", "StorageClass"}};
 *   <li>{@code arn:aws:states:::s3:getObject} with InputType {@code JSON} (the elements of a top-level
 *       array), {@code JSONL} (one value per non-empty line), {@code CSV} (one object of header to string
 *       per row) or {@code MANIFEST} / ManifestType {@code S3_INVENTORY} (the rows of the CSV files an S3
 *       inventory manifest lists).
 * </ul>
 *
 * <p>A page resumes where the previous one ended, by byte offset (a ranged read) or by key, so reading
 * page N never reads the pages before it (except inside one gzip inventory file, which cannot be
 * entered midway), and memory stays bounded by the page, never by the dataset. ReaderConfig's
 * MaxItems caps the items across all pages.
 *
 * <p>Stateless and thread-safe; blocks on the store.
 */
public final class ItemReaders {

  private ItemReaders() {}

  /**
   * Reads the page that starts at {@code cursor}. The same cursor gives the same page again, so a
   * caller may retry it after a crash.
   *
   * @param reader the Map state's ItemReader with its Parameters (or Arguments) and ReaderConfig already
   *     evaluated: MaxItems is a number, not a path
   * @param cursor a {@link ItemPage#nextCursor()} of an earlier page of the same reader; null or empty
   *     for the first page
   * @param maxItems how many items at most, at least 1
   * @throws ItemReaderException the reader's configuration or data is invalid, or the store failed;
   *     its message is the cause Step Functions reports with {@code States.ItemReaderFailed}
   * @throws IllegalArgumentException {@code cursor} is not a cursor of this class, or maxItems &lt; 1
   */
  public static ItemPage read(ObjectStore store, JsonNode reader, String cursor, int maxItems)
      throws ItemReaderException {
    if (maxItems < 1) {
      throw new IllegalArgumentException("maxItems must be at least 1: " + maxItems);
    }
    ReaderConfig config = ReaderConfig.parse(reader);
    ReadCursor at = ReadCursor.parse(cursor);
    long room = config.maxItems() == 0 ? Long.MAX_VALUE : config.maxItems() - at.given();
    if (room <= 0) {
      return new ItemPage(List.of(), at.text(), true);
    }
    ItemSource.Page page = source(store, config).read(at.position(), (int) Math.min(maxItems, room));
    long given = at.given() + page.items().size();
    boolean exhausted = page.exhausted() || (config.maxItems() > 0 && given >= config.maxItems());
    return new ItemPage(page.items(), new ReadCursor(given, page.next()).text(), exhausted);
  }

  private static ItemSource source(ObjectStore store, ReaderConfig config) {
    if (config.listing()) {
      return new ListObjectsSource(store, config);
    }
    return switch (config.inputType()) {
      case JSON -> new JsonArraySource(store, config);
      case JSONL -> new JsonLinesSource(store, config);
      case CSV -> new CsvSource(store, config);
      case MANIFEST -> new InventorySource(store, config);
    };
  }
}
