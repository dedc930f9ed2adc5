package io.stepstream.maprun.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.writer.ChildResult;
import io.stepstream.maprun.writer.ResultWriter;
import io.stepstream.maprun.writer.ResultWriterException;
import io.stepstream.proto.MapRunChild;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunIoFailed;
import io.stepstream.proto.MapRunState;
import io.stepstream.proto.ResultsWritten;
import java.util.Iterator;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * ResultWriter for a finished map run: streams the run's children from the children store (read
 * through interactive queries, off the stream thread) into the result files.
 */
final class ResultsFiles {

  private final ObjectStore store;
  private final IntFunction<ReadOnlyKeyValueStore<String, MapRunChild>> children;

  ResultsFiles(ObjectStore store, IntFunction<ReadOnlyKeyValueStore<String, MapRunChild>> children) {
    this.store = store;
    this.children = children;
  }

  MapRunCommand write(MapRunState run, int partition) {
    String arn = run.getSpec().getMapRunArn();
    JsonNode writer = Json.parse(run.getSpec().getResultWriter());
    long[] written = {0};
    try (KeyValueIterator<String, MapRunChild> it = children.apply(partition).range(arn + "|", arn + "|~")) {
      Iterator<ChildResult> results = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ChildResult next() {
          KeyValue<String, MapRunChild> entry = it.next();
          MapRunChild child = entry.value;
          written[0] += child.getItemCount();
          return new ChildResult(child.getExecutionArn(), child.getName(), run.getSpec().getProcessorArn(),
              status(child), child.getInput(), child.getOutput(), child.getError(), child.getCause(),
              child.getStartTimeMs(), child.getStopTimeMs(), 0, "NOT_REDRIVABLE");
        }
      };
      JsonNode details = ResultWriter.write(store, writer, arn, results);
      return MapRunCommand.newBuilder().setTimeMs(System.currentTimeMillis()).setMapRunArn(arn)
          .setResultsWritten(ResultsWritten.newBuilder().setDetails(Json.write(details)).setResultsWritten(written[0]))
          .build();
    } catch (ResultWriterException e) {
      if (e.retryable()) {
        return null; // the files are written again, whole, when the run asks again
      }
      return MapRunCommand.newBuilder().setTimeMs(System.currentTimeMillis()).setMapRunArn(arn)
          .setIoFailed(MapRunIoFailed.newBuilder().setError(StatesErrors.RESULT_WRITER_FAILED)
              .setCause(String.valueOf(e.getMessage())))
          .build();
    }
  }

  private static String status(MapRunChild child) {
    return switch (child.getStatus()) {
      case SUCCEEDED -> "SUCCEEDED";
      case FAILED -> "FAILED";
      case TIMED_OUT -> "TIMED_OUT";
      case ABORTED -> "ABORTED";
      default -> "PENDING";
    };
  }
}
