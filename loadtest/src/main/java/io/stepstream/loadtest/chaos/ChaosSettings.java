package io.stepstream.loadtest.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one chaos run does.
 *
 * @param executions named STANDARD executions to start
 * @param startsPerSecond the open-loop start rate, spread over the gateways in turn
 * @param minWaitSeconds shortest Wait state of an execution (each draws its own, seeded)
 * @param maxWaitSeconds longest Wait state
 * @param brokers KRaft nodes, each both broker and controller
 * @param instances Stepstream instances with every role; their gateways take the starts and reads
 * @param workers extra instances with the worker role alone
 * @param partitions partitions of the topics Stepstream creates
 * @param faults the kill/restart schedule, times from the first start
 * @param recoveryBound the verdict's bound: every execution done this long after the last kill
 * @param deadline how long after the last start and the last fault to wait for stragglers before
 *     giving up on them (they are then reported unfinished)
 * @param seed seeds the Wait durations
 * @param workDir broker data, instance state and every process's log (kept after the run)
 * @param launcher how to start the processes
 */
public record ChaosSettings(int executions, double startsPerSecond, int minWaitSeconds, int maxWaitSeconds,
    int brokers, int instances, int workers, int partitions, List<Fault> faults, Duration recoveryBound,
    Duration deadline, long seed, Path workDir, Launcher launcher) {

  public ChaosSettings {
    if (executions < 1 || !(startsPerSecond > 0) || minWaitSeconds < 0 || maxWaitSeconds < minWaitSeconds) {
      throw new IllegalArgumentException("executions, rate and waits must be positive, min wait <= max wait");
    }
    if (brokers < 1 || instances < 1 || workers < 0 || partitions < 1) {
      throw new IllegalArgumentException("at least one broker, one instance and one partition");
    }
    faults = List.copyOf(faults);
  }

  /** The replication factor the instances give their topics: 3, or fewer brokers. */
  public int replicationFactor() {
    return Math.min(3, brokers);
  }

  /**
   * How to start a JVM of the cluster.
   *
   * @param java the {@code java} executable
   * @param classPath a class path holding Stepstream's server and Kafka's broker: the fat jar
   *     {@code server/target/stepstream.jar}, or a test's class path
   * @param jvmOptions options for every process, before the class name
   */
  public record Launcher(String java, String classPath, List<String> jvmOptions) {

    public Launcher {
      jvmOptions = List.copyOf(jvmOptions);
    }
  }
}
