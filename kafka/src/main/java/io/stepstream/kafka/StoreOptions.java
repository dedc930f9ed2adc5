package io.stepstream.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options of every Stepstream Kafka Streams store: the one home of them, set on each
 * application with {@link #streams}.
 *
 * <p>Kafka Streams turns on RocksDB's {@code optimize_filters_for_hits}, which builds no Bloom filter
 * for the last level of the tree: right for a store whose reads find their key. Stepstream's stores
 * are read for keys that are mostly not there: the coordinator reads the state of every execution a
 * StartExecution names, the projector the summary of every execution whose first events arrive, and
 * those are new. Without the filter each such miss searched the last level's index and data blocks:
 * RocksDB's {@code get} was half of the projector's CPU time behind asynchronous EXPRESS starts
 * (async-profiler, docs/benchmarks.md). With a filter on every level a miss is answered from the
 * filters. (A filter over the memtable as well was tried: the insert that follows the miss then pays
 * the memtable's cache misses that the lookup used to pay, for no gain.)
 */
public final class StoreOptions implements RocksDBConfigSetter {

  /** Makes the application's stores use these options. */
  public static void streams(Properties props) {
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreOptions.class);
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setOptimizeFiltersForHits(false);
  }

  @Override
  public void close(String storeName, Options options) {
    // Nothing was allocated here: the options are Kafka Streams' own.
  }
}
