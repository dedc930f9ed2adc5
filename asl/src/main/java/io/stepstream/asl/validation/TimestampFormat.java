package io.stepstream.asl.validation;

import java.util.regex.Pattern;

/** The RFC 3339 date-time form that Wait's {@code Timestamp} and the Timestamp comparisons require. */
final class TimestampFormat {

  // Upper-case T and Z as AWS requires; any number of fraction digits ("...29.243167252Z" is accepted).
  private static final Pattern RFC3339 = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(Z|[+-](\\d{2}):(\\d{2}))");

  private TimestampFormat() {}

  /** True when {@code text} is an RFC 3339 date-time with a valid calendar date and time of day. */
  static boolean isValid(String text) {
    var m = RFC3339.matcher(text);
    if (!m.matches()) {
      return false;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    if (month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return false;
    }
    if (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
        || Integer.parseInt(m.group(6)) > 60) {
      return false;
    }
    return m.group(9) == null || Integer.parseInt(m.group(9)) <= 23 && Integer.parseInt(m.group(10)) <= 59;
  }
}
