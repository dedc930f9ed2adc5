package io.stepstream.asl.interpreter;

import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStateOrBuilder;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.MapActivityOrBuilder;
import io.stepstream.proto.ParallelActivity;

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
    return Integer.parseInt(id, slash + 2, id.length(), 10);
  }

  /** The frame with that id, or null when it does not exist (any more). Works on messages and builders. */
  public static FrameOrBuilder get(ExecutionStateOrBuilder state, String id) {
    FrameOrBuilder frame = state.getRootOrBuilder();
    int start = 0;
    while (start < id.length()) {
      int end = id.indexOf('/', start);
      if (end < 0) {
        end = id.length();
      }
      char kind = id.charAt(start);
      int index = Integer.parseInt(id, start + 1, end, 10);
      if (kind == 'p') {
        if (!frame.hasParallel() || index >= frame.getParallelOrBuilder().getBranchesCount()) {
          return null;
        }
        frame = frame.getParallelOrBuilder().getBranchesOrBuilder(index);
      } else {
        if (!frame.hasMap()) {
          return null;
        }
        int position = position(frame.getMapOrBuilder(), index);
        if (position < 0) {
          return null;
        }
        frame = frame.getMapOrBuilder().getRunningOrBuilder(position);
      }
      start = end + 1;
    }
    return frame;
  }

  /**
   * The builder of the frame with that id, for an applier to change in place; a missing branch or
   * iteration frame is created (running, empty). The enclosing Parallel/Map activity must exist.
   */
  static Frame.Builder edit(ExecutionState.Builder state, String id) {
    Frame.Builder frame = state.getRootBuilder();
    int start = 0;
    while (start < id.length()) {
      int end = id.indexOf('/', start);
      if (end < 0) {
        end = id.length();
      }
      char kind = id.charAt(start);
      int index = Integer.parseInt(id, start + 1, end, 10);
      String parent = start == 0 ? "" : id.substring(0, start - 1);
      // New frames are added as builders: one added as a message would be copied into a builder at once.
      if (kind == 'p') {
        ParallelActivity.Builder parallel = frame.getParallelBuilder();
        while (parallel.getBranchesCount() <= index) {
          int branch = parallel.getBranchesCount();
          running(parallel.addBranchesBuilder(), branchId(parent, branch), branch);
        }
        frame = parallel.getBranchesBuilder(index);
      } else {
        var map = frame.getMapBuilder();
        int position = position(map, index);
        frame = position < 0 ? running(map.addRunningBuilder(), iterationId(parent, index), index)
            : map.getRunningBuilder(position);
      }
      start = end + 1;
    }
    return frame;
  }

  /** Where iteration {@code index} is in the running list, or -1. */
  static int position(MapActivityOrBuilder map, int index) {
    for (int i = 0; i < map.getRunningCount(); i++) {
      if (map.getRunningOrBuilder(i).getIndex() == index) {
        return i;
      }
    }
    return -1;
  }

  /** Makes {@code frame} a new running frame (no state entered yet). */
  static Frame.Builder running(Frame.Builder frame, String id, int index) {
    return frame.setId(id).setIndex(index).setStatus(FrameStatus.FRAME_RUNNING);
  }
}
