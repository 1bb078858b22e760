package io.portico.router.memcached;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How the answer to one text-protocol command reads: {@link #read} looks at the bytes received from
 * {@code from} and says where the whole answer ends, or that it has not all arrived yet.
 *
 * @param <T> what the answer means
 */
abstract class Reply<T> {

  /** The answers this client never needs are longer than this: a larger one is a broken stream. */
  static final int MAX_LINE = 1024;

  private @Nullable T value;

  /**
   * Reads one whole answer from {@code from}; returns the index just past it, or -1 when it has not
   * all arrived.
   *
   * @throws MemcachedException when the bytes are not an answer to this command
   */
  abstract int read(Buffer in, int from);

  /** What the answer said, once {@link #read} found all of it. */
  final T value() {
    if (value == null) {
      throw new IllegalStateException("value: not read yet");
    }
    return value;
  }

  final void set(T read) {
    value = read;
  }

  /** {@code incr}: the new value, or empty for {@code NOT_FOUND}. */
  static final class Incr extends Reply<OptionalLong> {
    @Override
    int read(Buffer in, int from) {
      int end = lineEnd(in, from);
      if (end < 0) {
        return -1;
      }
      String line = line(in, from, end);
      if (line.equals("NOT_FOUND")) {
        set(OptionalLong.empty());
      } else {
        try {
          set(OptionalLong.of(Long.parseUnsignedLong(line)));
        } catch (NumberFormatException e) {
          throw unexpected("incr", line);
        }
      }
      return end + 2;
    }
  }

  /** {@code add}: whether the value was stored ({@code STORED}) or the key existed. */
  static final class Add extends Reply<Boolean> {
    @Override
    int read(Buffer in, int from) {
      int end = lineEnd(in, from);
      if (end < 0) {
        return -1;
      }
      String line = line(in, from, end);
      switch (line) {
        case "STORED" -> set(true);
        case "NOT_STORED" -> set(false);
        default -> throw unexpected("add", line);
      }
      return end + 2;
    }
  }

  /** {@code get}: the values of the keys found, by key; a missing key is absent. */
  static final class Get extends Reply<Map<String, String>> {
    @Override
    int read(Buffer in, int from) {
      Map<String, String> values = new HashMap<>();
      int at = from;
      while (true) {
        int end = lineEnd(in, at);
        if (end < 0) {
          return -1;
        }
        String line = line(in, at, end);
        if (line.equals("END")) {
          set(values);
          return end + 2;
        }
        // VALUE <key> <flags> <bytes>
        String[] parts = line.split(" ");
        if (parts.length != 4 || !parts[0].equals("VALUE")) {
          throw unexpected("get", line);
        }
        int bytes;
        try {
          bytes = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
          throw unexpected("get", line);
        }
        if (bytes < 0 || bytes > MAX_LINE) {
          throw unexpected("get", line);
        }
        int dataStart = end + 2;
        if (in.length() < dataStart + bytes + 2) {
          return -1;
        }
        if (in.getByte(dataStart + bytes) != '\r' || in.getByte(dataStart + bytes + 1) != '\n') {
          throw unexpected("get", line);
        }
        values.put(parts[1], in.getString(dataStart, dataStart + bytes, "US-ASCII"));
        at = dataStart + bytes + 2;
      }
    }
  }

  /** The index of the {@code \r} ending the line at {@code from}, or -1 when it has not arrived. */
  static int lineEnd(Buffer in, int from) {
    int limit = Math.min(in.length() - 1, from + MAX_LINE);
    for (int i = from; i < limit; i++) {
      if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
        return i;
      }
    }
    if (in.length() - from > MAX_LINE) {
      throw new MemcachedException("answer line longer than " + MAX_LINE + " bytes");
    }
    return -1;
  }

  private static String line(Buffer in, int from, int end) {
    return new String(in.getBytes(from, end), StandardCharsets.US_ASCII);
  }

  private static MemcachedException unexpected(String command, String line) {
    // ERROR, CLIENT_ERROR and SERVER_ERROR lines land here too, and are said as they came.
    return new MemcachedException(command + ": unexpected answer \"" + line + "\"");
  }
}
