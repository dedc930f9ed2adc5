package io.stepstream.asl.validation;

/** JSON pointers (RFC 6901) to the fields diagnostics are about. */
final class Pointer {

  /** The document root. */
  static final String ROOT = "";

  private Pointer() {}

  /** The pointer to member {@code name} of the object at {@code parent}. */
  static String child(String parent, String name) {
    return parent + "/" + escape(name);
  }

  /** The pointer to element {@code index} of the array at {@code parent}. */
  static String child(String parent, int index) {
    return parent + "/" + index;
  }

  private static String escape(String name) {
    if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
      return name;
    }
    return name.replace("~", "~0").replace("/", "~1");
  }
}
