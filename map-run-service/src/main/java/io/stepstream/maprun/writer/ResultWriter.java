package io.stepstream.maprun.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Exports the child executions of a finished Map Run as AWS Step Functions does for a
 * {@code ResultWriter} with {@code arn:aws:states:::s3:putObject}. Under {@code <Prefix>/<mapRunId>/}
 * (the map run id being the last {@code :}-separated part of the Map Run ARN) it writes
 *
 * <ul>
 *   <li>{@code SUCCEEDED_<n>.json}: the succeeded children;
 *   <li>{@code FAILED_<n>.json}: the failed, timed-out and aborted ones;
 *   <li>{@code PENDING_<n>.json}: those never started because the Map Run failed or was aborted;
 *   <li>{@code manifest.json}: {@code {"DestinationBucket": ..., "MapRunArn": ..., "ResultFiles":
 *       {"FAILED": [{"Key": ..., "Size": ...}], "PENDING": [...], "SUCCEEDED": [...]}}}, written last.
 * </ul>
 *
 * <p>Result files are numbered from 0; a file is capped at 5 GB (AWS's limit) and the entries that do
 * not fit go to the next one. WriterConfig's OutputType ({@code JSON}: one array per file, the default;
 * {@code JSONL}: one entry per line, still named {@code .json}) and Transformation ({@code NONE},
 * the default, {@code COMPACT}, {@code FLATTEN}; see {@link ResultEntries}) shape the files.
 *
 * <p>Children are streamed: memory holds one entry and one upload part per group, however many
 * children there are. Blocks on the store; thread-safe (no state).
 */
public final class ResultWriter {

  /** AWS's cap on one result file: "Step Functions supports individual result files of up to 5 GB". */
  public static final long MAX_RESULT_FILE_BYTES = 5L * 1024 * 1024 * 1024;

  private ResultWriter() {}

  /**
   * Writes the result files and the manifest of a finished Map Run.
   *
   * @param resultWriter the Map state's ResultWriter with its Parameters (or Arguments) evaluated:
   *     {@code {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket", "Prefix"},
   *     "WriterConfig": {"OutputType", "Transformation"}}}
   * @param mapRunArn the Map Run's ARN, e.g. {@code arn:aws:states:us-east-1:123456789012:mapRun:sm/Map:uuid}
   * @param results every child of the run, in the order their entries should appear; consumed once
   * @return the {@code ResultWriterDetails} of the Map state's output: {@code {"Bucket": ...,
   *     "Key": "<prefix>/<mapRunId>/manifest.json"}}
   * @throws ResultWriterException the configuration is invalid or the store failed; its message is
   *     the cause Step Functions reports with {@code States.ResultWriterFailed}
   */
  public static JsonNode write(ObjectStore store, JsonNode resultWriter, String mapRunArn,
      Iterator<ChildResult> results) throws ResultWriterException {
    return write(store, resultWriter, mapRunArn, results, MAX_RESULT_FILE_BYTES);
  }

  /** {@link #write(ObjectStore, JsonNode, String, Iterator)} with another cap on the file size. */
  static JsonNode write(ObjectStore store, JsonNode resultWriter, String mapRunArn, Iterator<ChildResult> results,
      long maxFileBytes) throws ResultWriterException {
    WriterSettings settings = WriterSettings.parse(resultWriter);
    if (mapRunArn == null || mapRunArn.lastIndexOf(':') < 0) {
      throw new IllegalArgumentException("not a Map Run ARN: " + mapRunArn);
    }
    String directory = settings.directory(mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1));
    try (ResultFileSeries succeeded = series(store, settings, directory + "SUCCEEDED_", maxFileBytes);
        ResultFileSeries failed = series(store, settings, directory + "FAILED_", maxFileBytes);
        ResultFileSeries pending = series(store, settings, directory + "PENDING_", maxFileBytes)) {
      while (results.hasNext()) {
        ChildResult child = results.next();
        ResultFileSeries files = switch (child.group()) {
          case "SUCCEEDED" -> succeeded;
          case "FAILED" -> failed;
          default -> pending;
        };
        for (JsonNode entry : ResultEntries.of(child, settings.transformation())) {
          files.append(Json.writeBytes(entry));
        }
      }
      ObjectNode manifest = Json.object().put("DestinationBucket", settings.bucket()).put("MapRunArn", mapRunArn);
      ObjectNode resultFiles = manifest.putObject("ResultFiles");
      resultFiles.set("FAILED", failed.finish());
      resultFiles.set("PENDING", pending.finish());
      resultFiles.set("SUCCEEDED", succeeded.finish());
      String manifestKey = directory + "manifest.json";
      store.put(settings.bucket(), manifestKey, Json.write(manifest).getBytes(StandardCharsets.UTF_8));
      return Json.object().put("Bucket", settings.bucket()).put("Key", manifestKey);
    } catch (ObjectStoreException e) {
      throw ResultWriterException.of(e);
    }
  }

  private static ResultFileSeries series(ObjectStore store, WriterSettings settings, String keyPrefix,
      long maxFileBytes) {
    return new ResultFileSeries(store, settings.bucket(), keyPrefix, settings.jsonLines(), maxFileBytes);
  }

}
