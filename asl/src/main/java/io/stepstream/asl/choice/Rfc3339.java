package io.stepstream.asl.choice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Parses the timestamps that Choice rules compare: the RFC 3339 profile of ISO 8601 that the States
 * Language requires, {@code 2016-03-14T01:59:00Z} or {@code 2016-03-14T01:59:00.123+01:00}.
 *
 * <p>Stricter than {@code OffsetDateTime.parse}, as AWS is: the {@code T} and {@code Z} are upper case,
 * seconds are required, a zone (Z or a numeric offset) is required. Fractions have 1 to 9 digits
 * (nanoseconds, the precision AWS keeps; it accepts 9 in Wait timestamps). Offsets go up to 18 hours, as
 * in {@code java.time}. A hand-written parser because the Variable side is parsed on every evaluation
 * and must not throw for the common case of a string that is simply not a timestamp.
 */
final class Rfc3339 {

  private static final int MAX_FRACTION_DIGITS = 9;
  private static final int MAX_OFFSET_HOURS = 18;

  private Rfc3339() {}

  /** The instant a timestamp string denotes, or null when the string is not such a timestamp. */
  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59
        || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (text.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      int count = i - start;
      if (count == 0 || count > MAX_FRACTION_DIGITS) {
        return null;
      }
      nanos = digits(text, start, count);
      for (int k = count; k < MAX_FRACTION_DIGITS; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds = offset(text, i);
    if (offsetSeconds == Integer.MIN_VALUE) {
      return null;
    }
    long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400L
        + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** True when {@link #parse} accepts the text. */
  static boolean isTimestamp(String text) {
    return parse(text) != null;
  }

  /** The zone offset in seconds starting at {@code i} and ending the text, or MIN_VALUE when invalid. */
  private static int offset(String text, int i) {
    int n = text.length();
    if (i == n - 1 && text.charAt(i) == 'Z') {
      return 0;
    }
    if (i != n - 6 || text.charAt(i + 3) != ':') {
      return Integer.MIN_VALUE;
    }
    char sign = text.charAt(i);
    int hours = digits(text, i + 1, 2);
    int minutes = digits(text, i + 4, 2);
    if (sign != '+' && sign != '-' || hours < 0 || minutes < 0 || minutes > 59
        || hours > MAX_OFFSET_HOURS || hours == MAX_OFFSET_HOURS && minutes > 0) {
      return Integer.MIN_VALUE;
    }
    int seconds = hours * 3_600 + minutes * 60;
    return sign == '+' ? seconds : -seconds;
  }

  /** The non-negative value of {@code count} ASCII digits at {@code start}, or -1 if one is not a digit. */
  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int k = start; k < start + count; k++) {
      char c = text.charAt(k);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
