package io.stepstream.asl.dataflow;

import com.fasterxml.jackson.databind.JsonNode;

/** Read access to the workflow variables visible from a state (its scope and every outer scope). */
@FunctionalInterface
public interface Variables {

  /** No variables at all. */
  Variables NONE = name -> null;

  /** The value of the variable, or null when no visible scope declares it. */
  JsonNode lookup(String name);
}
