package io.stepstream.server.role;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import java.util.UUID;

/**
 * The {@code worker} role: a {@link WorkerService} in the installation's worker group, running the
 * built-in resources (HTTP Task, nested executions, activities' routing) and the task handlers
 * registered with {@link LocalServices#useHandlers} (none by default). Tasks of functions it does not
 * serve go to their queues, for the workers that serve them (see {@link WorkerService}).
 */
public final class WorkerRole implements Role {

  private final Platform platform;
  private WorkerService worker;
  private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();

  /** Creates the role; nothing runs before {@link #start()}. */
  public WorkerRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    WorkerConfig config = new WorkerConfig(platform.kafkaProperties(), platform.topics().prefix(),
        platform.topics().prefix() + "workers", "worker-" + UUID.randomUUID().toString().substring(0, 8),
        platform.arns().region(), platform.arns().account(), platform.clock(), WorkerConfig.DEFAULT_MAX_IN_FLIGHT,
        platform.instanceId(), platform.functionNotFoundAfter());
    worker = WorkerService.start(config, platform.services().handlers());
    // Consumer lag of the worker role (its tasks and function queues), as the Streams roles publish theirs.
    for (var consumer : worker.consumersForMetrics()) {
      KafkaClientMetrics binder = new KafkaClientMetrics(consumer, Tags.of("role", "worker"));
      binder.bindTo(platform.services().meters());
      clientMetrics.add(binder);
    }
  }

  /** The running worker. */
  public WorkerService worker() {
    return worker;
  }

  @Override
  public void close() {
    clientMetrics.forEach(KafkaClientMetrics::close);
    clientMetrics.clear();
    if (worker != null) {
      worker.close();
    }
  }
}
