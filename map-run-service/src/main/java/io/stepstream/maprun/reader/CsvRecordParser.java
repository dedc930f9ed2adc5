package io.stepstream.maprun.reader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits delimited text into records by Step Functions' CSV rules, working on bytes so that every
 * record starts at an exact byte offset that a later page can resume from.
 *
 * <p>Why not a CSV library: the well-kept ones (Commons CSV, OpenCSV, Jackson's CSV module) read
 * characters from a {@code Reader} and report character positions, not byte positions of the UTF-8
 * input, and none implements AWS's backslash rules. Every character with a meaning here is ASCII, and
 * in UTF-8 no byte of a multi-byte character is ASCII, so splitting bytes and decoding each finished
 * field is exact.
 *
 * <p>The rules (from "How Step Functions parses input CSV files"):
 *
 * <ul>
 *   <li>The delimiter separates fields; a newline ({@code \n}, {@code \r\n} or {@code \r}) ends a record.
 *       Empty lines are skipped, so a final newline adds no record.
 *   <li>A field that starts with {@code "} is quoted: delimiters and newlines inside are text, and
 *       {@code ""} is one quote. Text after the closing quote is kept (lenient).
 *   <li>Outside quotes too, {@code ""} is one quote; a lone {@code "} is kept as it is.
 *   <li>A backslash makes the next backslash, quote or delimiter literal; before any other character
 *       the backslash is dropped.
 *   <li>A quoted field left open at the end of the object, or a record over the 8 MB item limit, is an
 *       error.
 * </ul>
 *
 * <p>Fields are decoded as UTF-8, invalid sequences becoming U+FFFD.
 */
final class CsvRecordParser {

  private final PositionedInput in;
  private final byte delimiter;
  private final String source;
  private final ByteField field = new ByteField();
  private long line;

  /**
   * @param source the object, for messages
   * @param line the line number the input starts at, for messages
   */
  CsvRecordParser(PositionedInput in, byte delimiter, String source, long line) {
    this.in = in;
    this.delimiter = delimiter;
    this.source = source;
    this.line = line;
  }

  /** Whether another record follows; skips empty lines, so {@link #position()} is then its start. */
  boolean hasNext() throws IOException {
    for (int b = in.peek(); b == '\n' || b == '\r'; b = in.peek()) {
      endOfLine(in.read());
    }
    return in.peek() >= 0;
  }

  /** The object offset where the next record (or the end) is. */
  long position() {
    return in.position();
  }

  /** The line number at {@link #position()}. */
  long line() {
    return line;
  }

  /** The next record's fields, or null at the end of the object. */
  List<String> next() throws IOException, ItemReaderException {
    if (!hasNext()) {
      return null;
    }
    long firstLine = line;
    long start = in.position();
    List<String> fields = new ArrayList<>();
    field.clear();
    boolean quoted = false;
    boolean fieldStart = true;
    while (true) {
      int b = in.read();
      if (in.position() - start > Limits.MAX_ITEM_BYTES) {
        throw Limits.itemTooLarge(source, "line " + firstLine);
      }
      if (b < 0) {
        if (quoted) {
          throw new ItemReaderException("The CSV object " + source + " has a quoted field opened at line "
              + firstLine + " that is never closed");
        }
        fields.add(field.text());
        return fields;
      }
      if (quoted) {
        if (b == '"') {
          if (in.peek() == '"') {
            field.add(in.read());
          } else {
            quoted = false;
          }
        } else if (b == '\\') {
          escape();
        } else {
          field.add(b);
          if (b == '\r' && in.peek() == '\n') {
            field.add(in.read());
          }
          if (b == '\n' || b == '\r') {
            line++;
          }
        }
      } else if (b == delimiter) {
        fields.add(field.text());
        field.clear();
        fieldStart = true;
        continue;
      } else if (b == '\n' || b == '\r') {
        endOfLine(b);
        fields.add(field.text());
        return fields;
      } else if (b == '"') {
        if (fieldStart) {
          quoted = true;
        } else if (in.peek() == '"') {
          field.add(in.read());
        } else {
          field.add(b);
        }
      } else if (b == '\\') {
        escape();
      } else {
        field.add(b);
      }
      fieldStart = false;
    }
  }

  /** After a backslash: keep an escaped backslash, quote or delimiter; otherwise drop the backslash. */
  private void escape() throws IOException {
    int b = in.peek();
    if (b == '\\' || b == '"' || b == delimiter) {
      field.add(in.read());
    }
  }

  /** Counts a record-ending line end; of a {@code \r\n} pair, takes the {@code \n} too. */
  private void endOfLine(int b) throws IOException {
    if (b == '\r' && in.peek() == '\n') {
      in.read();
    }
    line++;
  }
}
