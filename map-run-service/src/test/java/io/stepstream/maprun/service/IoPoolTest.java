package io.stepstream.maprun.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.maprun.store.ListPage;
import io.stepstream.maprun.store.LocalBuckets;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import io.stepstream.maprun.store.ObjectUpload;
import io.stepstream.proto.ChildInput;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunState;
import io.stepstream.proto.StartMapRun;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The I/O pool's pages: batches with their cursors, and a transient store failure read again. */
class IoPoolTest {

  @TempDir
  Path buckets;

  private static final String DEFINITION = """
      {"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "each", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}""";

  @Test
  void shouldReadAgainAfterATransientStoreFailureAndFailOnAPermanentOne() throws Exception {
    Path bucket = Files.createDirectories(buckets.resolve("b"));
    for (int i = 0; i < 5; i++) {
      Files.writeString(bucket.resolve("k" + i), "x");
    }
    AtomicInteger failuresLeft = new AtomicInteger(1);
    ObjectStore flaky = new Flaky(new LocalBuckets(buckets), failuresLeft);
    State.Map map = DistributedMaps.resolve(DefinitionCompiler.compile(DEFINITION), "each");
    String arn = MapRunNames.mapRunArn("arn:aws:states:us-east-1:123456789012:stateMachine:m", "each", "id");
    MapRunState run = MapRunState.newBuilder().setSpec(StartMapRun.newBuilder().setMapRunArn(arn)
        .setItemReader("{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\", \"Parameters\": {\"Bucket\": \"b\"}}")
        .setBatching(true).setMaxItemsPerBatch(2).setStateInput("{}").setContext("{}").setVariables("{}")).build();
    IoPool pool = new IoPool(flaky, command -> { }, (r, p) -> null, 1);
    try {
      assertThat(pool.readPage(run, "", map, 10)).as("a 503 from the store: read again later").isNull();
      MapRunCommand page = pool.readPage(run, "", map, 10);
      assertThat(page.getItemsRead().getChildrenList()).extracting(ChildInput::getItemCount).containsExactly(2, 2, 1);
      assertThat(page.getItemsRead().getExhausted()).isTrue();
      // From the first child's cursor on, the same items again: a repeated read gives the same children.
      MapRunCommand rest = pool.readPage(run, page.getItemsRead().getChildren(0).getCursorAfter(), map, 10);
      assertThat(rest.getItemsRead().getChildrenList()).extracting(ChildInput::getInput)
          .containsExactlyElementsOf(page.getItemsRead().getChildrenList().subList(1, 3).stream()
              .map(ChildInput::getInput).toList());

      MapRunState missing = run.toBuilder().setSpec(run.getSpec().toBuilder()
          .setItemReader("{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\", \"Parameters\": {\"Bucket\": \"nope\"}}"))
          .build();
      MapRunCommand failed = pool.readPage(missing, "", map, 10);
      assertThat(failed.getIoFailed().getError()).isEqualTo("States.ItemReaderFailed");
      assertThat(failed.getIoFailed().getCause()).contains("The specified bucket does not exist");
    } finally {
      pool.close();
    }
  }

  /** A store whose listing answers 503 SlowDown a given number of times, then works. */
  private record Flaky(ObjectStore store, AtomicInteger failuresLeft) implements ObjectStore {
    @Override
    public ListPage list(String bucket, String prefix, String delimiter, String startAfter, int maxKeys)
        throws ObjectStoreException {
      if (failuresLeft.getAndDecrement() > 0) {
        throw ObjectStoreException.s3Error("SlowDown", 503, "Please reduce your request rate.", "r", "x", null);
      }
      return store.list(bucket, prefix, delimiter, startAfter, maxKeys);
    }

    @Override
    public InputStream open(String bucket, String key, long fromByte) throws ObjectStoreException {
      return store.open(bucket, key, fromByte);
    }

    @Override
    public long size(String bucket, String key) throws ObjectStoreException {
      return store.size(bucket, key);
    }

    @Override
    public ObjectUpload upload(String bucket, String key) throws ObjectStoreException {
      return store.upload(bucket, key);
    }
  }
}
