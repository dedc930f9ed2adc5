package io.stepstream.maprun.service;

import io.stepstream.asl.definition.State;
import io.stepstream.proto.MapRunState;

/**
 * Work of a map run that needs I/O (reading items, writing results), done off the stream thread. The
 * outcome comes back as a map-run command on the commands topic (ItemsRead, ResultsWritten,
 * MapRunIoFailed), so it is processed like any other input and survives a crash: a request whose
 * answer never came is asked again.
 */
public interface MapRunIo {

  /**
   * Reads up to {@code children} child inputs from the run's cursor.
   *
   * @param map the Distributed Map state (its ItemSelector)
   */
  void read(MapRunState run, State.Map map, int children);

  /** Writes the run's results (ResultWriter) from the children store of {@code partition}. */
  void write(MapRunState run, int partition);
}
