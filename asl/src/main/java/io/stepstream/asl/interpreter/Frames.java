package io.stepstream.asl.interpreter;

import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.MapActivity;
import io.stepstream.proto.ParallelActivity;
import java.util.function.UnaryOperator;

/**
 * Navigation in an execution's tree of flows.
 *
 * <p>A frame id is "" for the top level, else a '/'-separated path of steps: {@code p<k>} is branch k
 * of the Parallel state the enclosing flow is in, {@code m<i>} is iteration i of its Map state.
 * Since a flow is in one state at a time, the path is unambiguous.
 */
public final class Frames {

  private Frames() {}

  /** The id of branch {@code k} of the Parallel state that frame {@code parent} is in. */
  public static String branchId(String parent, int k) {
    return parent.isEmpty() ? "p" + k : parent + "/p" + k;
  }

  /** The id of iteration {@code i} of the Map state that frame {@code parent} is in. */
  public static String iterationId(String parent, int i) {
    return parent.isEmpty() ? "m" + i : parent + "/m" + i;
  }

  /** The enclosing frame's id; "" for a child of the top level. */
  public static String parentId(String id) {
    int slash = id.lastIndexOf('/');
    return slash < 0 ? "" : id.substring(0, slash);
  }

  /** The last step of an id ("p2" -> 2, "m7" -> 7). */
  public static int lastIndex(String id) {
    int slash = id.lastIndexOf('/');
    return Integer.parseInt(id.substring(slash + 2));
  }

  /** The frame with that id, or null when it does not exist (any more). */
  public static Frame get(ExecutionState state, String id) {
    Frame frame = state.getRoot();
    if (id.isEmpty()) {
      return frame;
    }
    int start = 0;
    while (start < id.length()) {
      int end = id.indexOf('/', start);
      if (end < 0) {
        end = id.length();
      }
      char kind = id.charAt(start);
      int index = Integer.parseInt(id, start + 1, end, 10);
      if (kind == 'p') {
        if (!frame.hasParallel() || index >= frame.getParallel().getBranchesCount()) {
          return null;
        }
        frame = frame.getParallel().getBranches(index);
      } else {
        if (!frame.hasMap() || !frame.getMap().containsRunning(index)) {
          return null;
        }
        frame = frame.getMap().getRunningOrThrow(index);
      }
      start = end + 1;
    }
    return frame;
  }

  /**
   * Replaces the frame with that id by {@code change} of it, creating a missing branch or iteration
   * frame (running, empty) on the way; the enclosing activity must exist.
   */
  public static ExecutionState update(ExecutionState state, String id, UnaryOperator<Frame> change) {
    return state.toBuilder().setRoot(update(state.getRoot(), id, 0, change)).build();
  }

  private static Frame update(Frame frame, String id, int start, UnaryOperator<Frame> change) {
    if (start >= id.length()) {
      return change.apply(frame);
    }
    int end = id.indexOf('/', start);
    if (end < 0) {
      end = id.length();
    }
    char kind = id.charAt(start);
    int index = Integer.parseInt(id, start + 1, end, 10);
    String childId = id.substring(0, end);
    if (kind == 'p') {
      ParallelActivity parallel = frame.getParallel();
      ParallelActivity.Builder builder = parallel.toBuilder();
      while (builder.getBranchesCount() <= index) {
        builder.addBranches(newFrame(Frames.branchId(id.substring(0, Math.max(0, start - 1)), builder.getBranchesCount())));
      }
      builder.setBranches(index, update(builder.getBranches(index), id, end + 1, change));
      return frame.toBuilder().setParallel(builder).build();
    }
    MapActivity map = frame.getMap();
    Frame child = map.containsRunning(index) ? map.getRunningOrThrow(index) : newFrame(childId);
    return frame.toBuilder().setMap(map.toBuilder().putRunning(index, update(child, id, end + 1, change))).build();
  }

  static Frame newFrame(String id) {
    return Frame.newBuilder().setId(id).setStatus(FrameStatus.FRAME_RUNNING).build();
  }
}
