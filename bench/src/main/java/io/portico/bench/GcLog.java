package io.portico.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the pauses out of a JVM's {@code -Xlog:gc:file=...:uptime} log, e.g. {@code [12.345s] GC(3)
 * Pause Young (Normal) (G1 Evacuation Pause) 45M->12M(256M) 3.456ms}. The uptime is when the line
 * was logged, at the end of the pause, in seconds since the JVM started (a few tens of milliseconds
 * after the benchmark launched it, which is close enough to place pauses in a change loop).
 */
final class GcLog {

  private static final Pattern PAUSE =
      Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*\\bPause\\b.*?(\\d+\\.\\d+)ms\\s*$");

  /**
   * Pauses in a window.
   *
   * @param count how many ended in it
   * @param maxMillis the longest
   * @param totalMillis all of them together
   */
  record Pauses(int count, double maxMillis, double totalMillis) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d / %.1f", count, maxMillis);
    }
  }

  private GcLog() {}

  /** The pauses that ended between two uptimes (seconds); none when the log cannot be read. */
  static Pauses pauses(Path log, double fromSeconds, double toSeconds) {
    List<Double> millis = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log)) {
        Matcher m = PAUSE.matcher(line);
        if (m.find()) {
          double at = Double.parseDouble(m.group(1));
          if (at >= fromSeconds && at <= toSeconds) {
            millis.add(Double.parseDouble(m.group(2)));
          }
        }
      }
    } catch (IOException e) {
      return new Pauses(0, 0, 0);
    }
    double max = millis.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double total = millis.stream().mapToDouble(Double::doubleValue).sum();
    return new Pauses(millis.size(), max, total);
  }
}
