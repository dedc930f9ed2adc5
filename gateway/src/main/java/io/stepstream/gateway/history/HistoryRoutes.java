package io.stepstream.gateway.history;

import java.util.List;

/**
 * Where the history projection's partitions are: which instance answers a read of an execution,
 * and which instances a listing asks. Implemented over the local projector's group metadata, or,
 * on a gateway-only instance, over the directory the projector instances publish. Thread-safe;
 * never blocks on the network.
 */
public interface HistoryRoutes {

  /**
   * The internal address (host:port) of the instance holding the execution's partition.
   *
   * @return null when this process holds it (then its {@link HistoryReader} answers)
   * @throws io.stepstream.gateway.api.ApiException {@code ServiceUnavailable} (503) when no instance
   *     is known to hold it now
   */
  String ownerAddress(String executionArn);

  /** The internal addresses of every projector instance but this process; throws 503 as above. */
  List<String> otherInstances();

  /** The number of partitions of the events topics: a complete listing covers each of them. */
  int partitionCount();
}
