package io.stepstream.asl.validation;

/**
 * One state being checked: its name, type (one of {@link StateFields#TYPES}), its fields and the query
 * language it is evaluated in.
 */
record StateContext(String name, String type, Fields fields, QueryLanguage language) {

  boolean isJsonata() {
    return language == QueryLanguage.JSONATA;
  }

  Findings findings() {
    return fields.findings();
  }
}
