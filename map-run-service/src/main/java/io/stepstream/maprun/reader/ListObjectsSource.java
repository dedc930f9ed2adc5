package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ListPage;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import io.stepstream.maprun.store.ObjectSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects of a ListObjectsV2 listing, one item each, shaped as Step Functions gives them:
 * {@code {"Etag": "\"<md5>\"", "Key": ..., "LastModified": <epoch seconds>, "Size": ..., "StorageClass": ...}}
 * (the ETag keeps S3's quotes; LastModified is a number of seconds, which AWS writes as a double, e.g.
 * {@code 1.668699881E9}). Position: {@code {"k": <last key given>}}.
 */
final class ListObjectsSource implements ItemSource {

  private final ObjectStore store;
  private final ReaderConfig config;

  ListObjectsSource(ObjectStore store, ReaderConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Page read(ObjectNode position, int limit) throws ItemReaderException {
    String after = position == null ? config.startAfter() : position.path("k").asText();
    ListPage page;
    try {
      page = store.list(config.bucket(), config.prefix(), config.delimiter(), after, limit);
    } catch (ObjectStoreException e) {
      throw ItemReaderException.of(e);
    }
    List<JsonNode> items = new ArrayList<>(page.objects().size());
    String last = after == null ? "" : after;
    for (ObjectSummary object : page.objects()) {
      items.add(item(object));
      last = object.key();
    }
    return new Page(items, Json.object().put("k", last), !page.truncated());
  }

  private static JsonNode item(ObjectSummary object) {
    return Json.object()
        .put("Etag", object.etag())
        .put("Key", object.key())
        .put("LastModified", object.lastModified().toEpochMilli() / 1000.0)
        .put("Size", object.size())
        .put("StorageClass", object.storageClass());
  }
}
