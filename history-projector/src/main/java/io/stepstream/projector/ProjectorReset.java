package io.stepstream.projector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

/**
 * Starts a projector over: deletes its consumer group (committed offsets), its changelog topics and
 * its local state, so that the next start reads the events topics from offset 0 into fresh stores.
 * The events topics, the source of truth, are not touched.
 *
 * <p>Every instance of the projector must be stopped first: a group with members is refused.
 */
public final class ProjectorReset {

  /** Longer than a member's default session timeout (45 s). */
  private static final Duration MEMBERS_EXPIRE = Duration.ofSeconds(60);

  private ProjectorReset() {}

  /**
   * Resets the projector application.
   *
   * @param admin a connected admin client; not closed here
   * @param applicationId the projector's application id
   * @param stateDir the projector's local state directory on this machine (deleted); other
   *     machines' directories are wiped by Kafka Streams itself when it finds their offsets gone
   * @return the internal topics deleted
   * @throws IllegalStateException when an instance still runs, or the cluster refuses
   */
  public static List<String> reset(Admin admin, String applicationId, Path stateDir) {
    try {
      deleteGroup(admin, applicationId, System.nanoTime() + MEMBERS_EXPIRE.toNanos());
      Set<String> topics = admin.listTopics().names().get();
      List<String> internal = new ArrayList<>();
      for (String topic : topics) {
        if (topic.startsWith(applicationId + "-")
            && (topic.endsWith("-changelog") || topic.endsWith("-repartition"))) {
          internal.add(topic);
        }
      }
      if (!internal.isEmpty()) {
        admin.deleteTopics(internal).all().get();
      }
      deleteRecursively(stateDir);
      internal.sort(null);
      return internal;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot reset the projector " + applicationId, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while resetting the projector", e);
    }
  }

  /**
   * Deletes the group; members of instances that died without leaving (kill -9) keep it non-empty
   * until their session expires, so that is waited for.
   */
  private static void deleteGroup(Admin admin, String applicationId, long deadline)
      throws InterruptedException, ExecutionException {
    while (true) {
      try {
        admin.deleteConsumerGroups(List.of(applicationId)).all().get();
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          return;
        }
        if (!(e.getCause() instanceof GroupNotEmptyException)) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The projector '" + applicationId + "' still runs; stop every instance first",
              e.getCause());
        }
        Thread.sleep(1000);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }
}
