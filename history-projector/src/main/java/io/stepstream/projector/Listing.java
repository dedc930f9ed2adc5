package io.stepstream.projector;

import io.stepstream.proto.ExecutionSummary;
import java.util.List;
import java.util.Set;

/**
 * One instance's share of a listing page.
 *
 * @param executions newest first, at most the limit asked for
 * @param partitions the partitions this share covers (the active ones of this instance): a merge of
 *     all shares is complete only when together they cover every partition
 */
public record Listing(List<ExecutionSummary> executions, Set<Integer> partitions) {

  /** Checks the components. */
  public Listing {
    executions = List.copyOf(executions);
    partitions = Set.copyOf(partitions);
  }
}
