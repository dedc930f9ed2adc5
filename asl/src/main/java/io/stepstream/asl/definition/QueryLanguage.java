package io.stepstream.asl.definition;

/** The query language of a state: JSONPath (the default) or JSONata. */
public enum QueryLanguage {
  JSONPATH,
  JSONATA;

  /** Parses the ASL spelling ("JSONPath", "JSONata"). */
  public static QueryLanguage of(String text) {
    return switch (text) {
      case "JSONPath" -> JSONPATH;
      case "JSONata" -> JSONATA;
      default -> throw new IllegalArgumentException("unknown QueryLanguage: " + text);
    };
  }
}
