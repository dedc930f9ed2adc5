package io.stepstream.asl.validation;

/** The two query languages of the States Language, with the names the {@code QueryLanguage} field uses. */
enum QueryLanguage {
  JSONPATH("JSONPath"),
  JSONATA("JSONata");

  private final String fieldValue;

  QueryLanguage(String fieldValue) {
    this.fieldValue = fieldValue;
  }

  /** The value as written in a definition. */
  String fieldValue() {
    return fieldValue;
  }

  /** The language a {@code QueryLanguage} value names, or null when it names none (exact match, as AWS). */
  static QueryLanguage fromField(String value) {
    for (QueryLanguage language : values()) {
      if (language.fieldValue.equals(value)) {
        return language;
      }
    }
    return null;
  }
}
