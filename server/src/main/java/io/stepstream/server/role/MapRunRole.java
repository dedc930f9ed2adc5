package io.stepstream.server.role;

import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.kafka.Topics;
import io.stepstream.maprun.service.MapRunService;
import io.stepstream.maprun.service.MapRunTopics;
import io.stepstream.maprun.store.LocalBuckets;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.S3ObjectStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code map-runs} role: the map-run service that runs Distributed Maps. */
public final class MapRunRole implements Role {

  private static final Logger LOG = LoggerFactory.getLogger(MapRunRole.class);

  private final Platform platform;
  private MapRunService service;

  public MapRunRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    ObjectStore store;
    if (platform.s3Endpoint() == null) {
      store = new LocalBuckets(platform.bucketsDir());
      LOG.info("Distributed Map reads and writes bucket B, key K as the file {}/B/K", platform.bucketsDir());
    } else {
      store = S3ObjectStore.create(platform.s3Endpoint());
      LOG.info("Distributed Map reads and writes S3 at {}", platform.s3Endpoint());
    }
    String applicationId = topics.prefix() + "map-runs";
    service = new MapRunService(platform.streamsProperties(),
        new MapRunTopics(topics.mapRunCommands(), topics.mapRunStatus(), topics.standardCommands(),
            topics.expressCommands(), topics.stateMachines()),
        applicationId, platform.stateDir().resolve("map-runs"), store, platform.instanceId(),
        new ExecutionMetrics(platform.services().meters()));
    platform.services().bindStreams(service.streams(), "map-runs");
    service.start(Duration.ofSeconds(120));
    platform.services().fencer(platform).watch(applicationId);
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
  }
}
