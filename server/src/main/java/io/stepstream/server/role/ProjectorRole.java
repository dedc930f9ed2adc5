package io.stepstream.server.role;

import io.stepstream.gateway.StepFunctionsApi;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.history.HistoryActions;
import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.gateway.history.HistoryRoutes;
import io.stepstream.gateway.history.ListExecutionsAction;
import io.stepstream.gateway.history.MapRunActions;
import io.stepstream.kafka.Topics;
import io.stepstream.projector.ListCursor;
import io.stepstream.projector.Listing;
import io.stepstream.projector.ProjectionUnavailableException;
import io.stepstream.projector.Projector;
import io.stepstream.projector.ProjectorSettings;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.MapRunSnapshot;
import io.stepstream.proto.ProjectorInstance;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code projector} role: the history projector over both events topics, and the internal
 * reads other instances send here for the partitions this one holds (on the process's internal
 * listener). After every rebalance it publishes its internal address and partitions on the
 * instances topic, for instances without a projector.
 */
public final class ProjectorRole implements Role {

  /** The projector's application id after the topic prefix. */
  public static final String APPLICATION_ID = "projector";
  /** The projector's directory under the platform's state directory. */
  public static final String STATE_DIR = "projector";

  private static final Logger LOG = LoggerFactory.getLogger(ProjectorRole.class);

  private final Platform platform;
  private final AtomicReference<Projector> running = new AtomicReference<>();
  private Projector projector;
  private InternalListener internal;
  private ActionRegistry internalActions;
  private KafkaProducer<String, byte[]> directory;
  private String address;

  public ProjectorRole(Platform platform) {
    this.platform = platform;
  }

  /** The projector's Kafka Streams application id for a topic layout. */
  public static String applicationId(Topics topics) {
    return topics.prefix() + APPLICATION_ID;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    LocalProjection local = new LocalProjection(this::runningProjector);
    // The internal listener comes first: its address is the projector's application.server.
    Forwarder forwarder = new Forwarder();
    HistoryActions reads = new HistoryActions(local, local, null, forwarder, platform.clock());
    ListExecutionsAction list = new ListExecutionsAction(local, local, null, platform.arns(), forwarder);
    internal = platform.services().internalListener(platform);
    internalActions = StepFunctionsApi.internalActions(reads, list,
        new MapRunActions(local, local, forwarder, null, topics.mapRunCommands(), platform.clock()));
    internal.serve(internalActions);
    address = internal.address();

    ProjectorSettings settings = ProjectorSettings.of(List.of(topics.standardEvents(), topics.expressEvents()),
        topics.replies(), topics.mapRunStatus());
    Properties kafka = platform.streamsProperties();
    // Static membership, as the coordinator: a restart after a crash takes the partitions back at once.
    kafka.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        applicationId(topics) + "-" + platform.instanceId());
    projector = new Projector(kafka, settings, applicationId(topics), platform.stateDir().resolve(STATE_DIR), address);
    directory = directoryProducer();
    projector.onRunning(this::publish);
    platform.services().bindStreams(projector.streams(), "projector");
    projector.start(Duration.ofSeconds(120));
    platform.services().fencer(platform).watch(applicationId(topics));
    running.set(projector);
    publish();
    platform.services().publishProjection(new LocalServices.Projection(local, local));
    LOG.info("History projector answers internal reads at {}", address);
  }

  /** The running projector (null before {@link #start()}), for callers that ask it directly. */
  public Projector projector() {
    return running.get();
  }

  private Projector runningProjector() {
    Projector current = running.get();
    if (current == null) {
      throw ApiErrors.unavailable("The history projector is starting");
    }
    return current;
  }

  private KafkaProducer<String, byte[]> directoryProducer() {
    Properties props = platform.kafkaProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "stepstream-projector-directory");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Publishes this instance's address and partitions (called on the Streams thread after a rebalance). */
  private void publish() {
    try {
      ProjectorInstance record = ProjectorInstance.newBuilder().setAddress(address)
          .addAllPartitions(projector.activePartitions().stream().sorted().toList())
          .setUpdatedMs(platform.clock().millis()).build();
      directory.send(new ProducerRecord<>(platform.topics().instances(), platform.instanceId(), record.toByteArray()));
    } catch (RuntimeException e) {
      LOG.warn("Could not publish this projector's partitions", e);
    }
  }

  @Override
  public void close() {
    if (directory != null) {
      try {
        directory.send(new ProducerRecord<>(platform.topics().instances(), platform.instanceId(), null));
      } catch (RuntimeException e) {
        LOG.debug("Could not withdraw this projector from the directory", e);
      }
      directory.close(Duration.ofSeconds(5));
    }
    running.set(null);
    if (projector != null) {
      projector.close();
    }
    if (internal != null && internalActions != null) {
      internal.withdraw(internalActions);
    }
  }

  /** The projection held by this process, as the gateway reads it; projector failures become 503s. */
  private record LocalProjection(Supplier<Projector> projector) implements HistoryRoutes, HistoryReader {

    @Override
    public String ownerAddress(String executionArn) {
      return unavailableIfMoving(() -> projector.get().ownerAddress(executionArn));
    }

    @Override
    public List<String> otherInstances() {
      return unavailableIfMoving(() -> projector.get().otherInstances());
    }

    @Override
    public int partitionCount() {
      return projector.get().partitionCount();
    }

    @Override
    public CompletableFuture<Void> caughtUp(String executionArn) {
      return unavailableIfLate(projector.get().caughtUp(executionArn));
    }

    @Override
    public CompletableFuture<Void> caughtUpActive() {
      return unavailableIfLate(projector.get().caughtUpActive());
    }

    @Override
    public Optional<ExecutionSummary> summary(String executionArn) {
      return unavailableIfMoving(() -> projector.get().summary(executionArn));
    }

    @Override
    public List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse) {
      return unavailableIfMoving(() -> projector.get().events(executionArn, after, limit, reverse));
    }

    @Override
    public MapRunShare mapRun(String mapRunArn) {
      Projector.MapRunShare share = unavailableIfMoving(() -> projector.get().mapRun(mapRunArn));
      return new MapRunShare(share.run(), share.partitions());
    }

    @Override
    public List<MapRunSnapshot> mapRuns(String executionArn) {
      return unavailableIfMoving(() -> projector.get().mapRuns(executionArn));
    }

    @Override
    public Share executions(String stateMachineArn, ExecutionStatus status, Boolean redriven, long afterStartMs,
        String afterArn,
        int limit) {
      Listing listing = unavailableIfMoving(() -> projector.get().executions(stateMachineArn, status, redriven,
          afterArn == null ? null : new ListCursor(afterStartMs, afterArn), limit));
      return new Share(listing.executions(), listing.partitions());
    }

    private static CompletableFuture<Void> unavailableIfLate(CompletableFuture<Void> caughtUp) {
      return caughtUp.exceptionallyCompose(error -> {
        Throwable cause = ApiErrors.cause(error);
        return CompletableFuture.failedFuture(cause instanceof ProjectionUnavailableException
            ? ApiErrors.unavailable(cause.getMessage()) : cause);
      });
    }

    private static <T> T unavailableIfMoving(Supplier<T> read) {
      try {
        return read.get();
      } catch (ProjectionUnavailableException e) {
        throw ApiErrors.unavailable(e.getMessage());
      }
    }
  }
}
