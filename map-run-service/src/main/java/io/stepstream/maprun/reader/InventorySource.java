package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An S3 inventory report: the {@code manifest.json} names the CSV data files (gzip-compressed, in the
 * bucket of {@code destinationBucket}) and their columns ({@code fileSchema}, e.g.
 * {@code "Bucket, Key, Size, LastModifiedDate"}); every row of every file, in manifest order, is one item
 * of column name to string, e.g. {@code {"Bucket": "b", "Key": "k", "Size": "3399671", "LastModifiedDate":
 * "2022-11-16T00:29:32.000Z"}}. Values are passed on as the report holds them (S3 URL-encodes keys in
 * inventory reports).
 *
 * <p>Position: {@code {"f": <index of the file in the manifest>, "r": <rows of that file already given>}}.
 * A gzip stream cannot be entered midway, so a page within a file decompresses and skips the rows
 * before it; the files before it are not read.
 */
final class InventorySource implements ItemSource {

  /** A manifest lists files, not rows; this bounds what is held of it. */
  private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

  private final ObjectStore store;
  private final ReaderConfig config;

  InventorySource(ObjectStore store, ReaderConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Page read(ObjectNode position, int limit) throws ItemReaderException {
    Manifest manifest = manifest();
    int file = position == null ? 0 : position.path("f").asInt();
    long skip = position == null ? 0 : position.path("r").asLong();
    List<JsonNode> items = new ArrayList<>();
    while (file < manifest.files().size()) {
      try (PositionedInput in = openData(manifest, file)) {
        CsvRecordParser rows = new CsvRecordParser(in, (byte) ',', source(manifest, file), 1);
        for (long r = 0; r < skip && rows.next() != null; r++) {
          // rows given by earlier pages
        }
        List<String> fields;
        while (items.size() < limit && (fields = rows.next()) != null) {
          items.add(CsvRows.item(manifest.columns(), fields));
          skip++;
        }
        if (items.size() == limit && rows.hasNext()) {
          return new Page(items, position(file, skip), false);
        }
      } catch (ZipException | EOFException e) {
        throw new ItemReaderException("The inventory file " + source(manifest, file) + " is not valid gzip: "
            + e.getMessage());
      } catch (IOException e) {
        throw new ItemReaderException("Reading " + source(manifest, file) + " failed: " + e.getMessage(), true, e);
      }
      file++;
      skip = 0;
      if (items.size() == limit) {
        break;
      }
    }
    // The page is full at a file's end: whether more items follow depends on the next non-empty file.
    int nextFile = file;
    while (nextFile < manifest.files().size() && !hasRows(manifest, nextFile)) {
      nextFile++;
    }
    return new Page(items, position(nextFile, 0), nextFile >= manifest.files().size());
  }

  private boolean hasRows(Manifest manifest, int file) throws ItemReaderException {
    try (PositionedInput in = openData(manifest, file)) {
      return new CsvRecordParser(in, (byte) ',', source(manifest, file), 1).hasNext();
    } catch (IOException e) {
      throw new ItemReaderException("Reading " + source(manifest, file) + " failed: " + e.getMessage(), true, e);
    }
  }

  private static ObjectNode position(int file, long rows) {
    return Json.object().put("f", file).put("r", rows);
  }

  private static String source(Manifest manifest, int file) {
    return "s3://" + manifest.dataBucket() + "/" + manifest.files().get(file);
  }

  /** A data file, decompressed when it is gzip (as S3 writes CSV inventory files). */
  private PositionedInput openData(Manifest manifest, int file) throws ItemReaderException, IOException {
    InputStream raw;
    try {
      raw = store.open(manifest.dataBucket(), manifest.files().get(file), 0);
    } catch (ObjectStoreException e) {
      throw ItemReaderException.of(e);
    }
    BufferedInputStream in = new BufferedInputStream(raw);
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    return new PositionedInput(gzip ? new GZIPInputStream(in) : in, 0);
  }

  private Manifest manifest() throws ItemReaderException {
    JsonNode manifest;
    try (InputStream in = store.open(config.bucket(), config.key(), 0)) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new ItemReaderException("The inventory manifest " + config.source() + " is larger than 16 MB");
      }
      manifest = Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (ObjectStoreException e) {
      throw ItemReaderException.of(e);
    } catch (Json.InvalidJsonException e) {
      throw new ItemReaderException("The inventory manifest " + config.source() + " is not valid JSON: "
          + e.getMessage());
    } catch (IOException e) {
      throw new ItemReaderException("Reading " + config.source() + " failed: " + e.getMessage(), true, e);
    }
    return Manifest.of(manifest, config);
  }

  /**
   * The parts of an inventory manifest a reader needs.
   *
   * @param dataBucket where the data files are: the manifest's destination bucket
   * @param columns the fileSchema's column names
   * @param files the data files' keys, in manifest order
   */
  record Manifest(String dataBucket, List<String> columns, List<String> files) {

    static Manifest of(JsonNode manifest, ReaderConfig config) throws ItemReaderException {
      String format = manifest.path("fileFormat").asText("");
      if (!format.toUpperCase(Locale.ROOT).equals("CSV")) {
        throw new ItemReaderException("The inventory manifest " + config.source() + " has fileFormat '" + format
            + "'; only CSV inventory reports can be read");
      }
      List<String> columns = new ArrayList<>();
      for (String column : manifest.path("fileSchema").asText("").split(",")) {
        if (!column.isBlank()) {
          columns.add(column.trim());
        }
      }
      if (columns.isEmpty()) {
        throw new ItemReaderException("The inventory manifest " + config.source() + " has no fileSchema");
      }
      ReaderConfig.requireDistinct(columns);
      List<String> files = new ArrayList<>();
      for (JsonNode file : manifest.path("files")) {
        if (!file.path("key").isTextual()) {
          throw new ItemReaderException("The inventory manifest " + config.source() + " lists a file without a key");
        }
        files.add(file.path("key").asText());
      }
      // destinationBucket is an ARN (arn:aws:s3:::name); the files are in that bucket.
      String destination = manifest.path("destinationBucket").asText("");
      String bucket = destination.isEmpty() ? config.bucket()
          : destination.substring(destination.lastIndexOf(':') + 1);
      return new Manifest(bucket, List.copyOf(columns), List.copyOf(files));
    }
  }
}
