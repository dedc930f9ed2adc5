package io.stepstream.projector;

import io.stepstream.proto.ExecutionSummary;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The projector's four stores, one per key space (see {@link StoreKeys} for the layouts).
 *
 * @param history AWS-visible events (HistoryEvent bytes) by (execution ARN, event id)
 * @param executions execution summaries by execution ARN
 * @param listings empty values by (state machine ARN, status, inverted start, execution ARN)
 * @param expiry empty values by (time the history may be dropped, execution ARN)
 */
record ProjectorStores(KeyValueStore<Bytes, byte[]> history, KeyValueStore<String, ExecutionSummary> executions,
    KeyValueStore<Bytes, byte[]> listings, KeyValueStore<Bytes, byte[]> expiry) {

  static final String HISTORY = "projector-history";
  static final String EXECUTIONS = "projector-executions";
  static final String LISTINGS = "projector-listings";
  static final String EXPIRY = "projector-expiry";
  /** Map runs: snapshots under "r|" + map run ARN and "e|" + parent ARN + "|" + map run ARN. */
  static final String MAP_RUNS = "projector-map-runs";
}
