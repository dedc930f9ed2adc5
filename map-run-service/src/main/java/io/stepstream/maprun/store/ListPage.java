package io.stepstream.maprun.store;

import java.util.List;

/**
 * A page of a listing.
 *
 * @param objects the objects, in ascending UTF-8 binary order of their keys
 * @param truncated whether more objects follow the last one of this page
 */
public record ListPage(List<ObjectSummary> objects, boolean truncated) {

  public ListPage {
    objects = List.copyOf(objects);
  }
}
