package io.stepstream.maprun.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import io.stepstream.maprun.store.ObjectUpload;

/**
 * The result files of one group ({@code SUCCEEDED_0.json}, {@code SUCCEEDED_1.json}, ...): entries are
 * streamed into the current file, and a new file is started when the next entry would take the current
 * one past the size cap. With OutputType JSON a file is one array; with JSONL, one entry per line.
 * Nothing is written for a group without entries.
 */
final class ResultFileSeries implements AutoCloseable {

  private static final byte[] OPEN = {'['};
  private static final byte[] SEPARATOR = {','};
  private static final byte[] CLOSE = {']'};
  private static final byte[] NEWLINE = {'\n'};

  private final ObjectStore store;
  private final String bucket;
  private final String keyPrefix;
  private final boolean jsonLines;
  private final long maxFileBytes;
  /** {@code [{"Key": ..., "Size": ...}, ...]} of the completed files, as the manifest lists them. */
  private final ArrayNode files = Json.array();
  private ObjectUpload current;
  private String currentKey;
  private long entries;

  /** @param keyPrefix the key up to the index, e.g. {@code prefix/<id>/SUCCEEDED_} */
  ResultFileSeries(ObjectStore store, String bucket, String keyPrefix, boolean jsonLines, long maxFileBytes) {
    this.store = store;
    this.bucket = bucket;
    this.keyPrefix = keyPrefix;
    this.jsonLines = jsonLines;
    this.maxFileBytes = maxFileBytes;
  }

  /** Appends one serialized entry. */
  void append(byte[] entry) throws ObjectStoreException {
    if (current != null && current.size() + framing() + entry.length > maxFileBytes) {
      finishCurrent();
    }
    if (current == null) {
      currentKey = keyPrefix + files.size() + ".json";
      current = store.upload(bucket, currentKey);
      entries = 0;
      if (!jsonLines) {
        current.write(OPEN, 0, 1);
      }
    } else if (!jsonLines) {
      current.write(SEPARATOR, 0, 1);
    }
    current.write(entry, 0, entry.length);
    if (jsonLines) {
      current.write(NEWLINE, 0, 1);
    }
    entries++;
  }

  /** Completes the last file; returns every file written, for the manifest. */
  ArrayNode finish() throws ObjectStoreException {
    if (current != null) {
      finishCurrent();
    }
    return files;
  }

  /** Abandons the file being written, if any. */
  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }

  /** Bytes an entry adds besides itself: a separator and the closing bracket, or a newline. */
  private long framing() {
    return jsonLines ? 1 : (entries > 0 ? 1 : 0) + 1;
  }

  private void finishCurrent() throws ObjectStoreException {
    if (!jsonLines) {
      current.write(CLOSE, 0, 1);
    }
    current.complete();
    files.addObject().put("Key", currentKey).put("Size", current.size());
    current.close();
    current = null;
  }
}
