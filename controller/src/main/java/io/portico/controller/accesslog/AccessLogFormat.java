package io.portico.controller.accesslog;

import java.util.Locale;

/** How access-log lines look, or that there are none. */
public enum AccessLogFormat {
  TEXT,
  JSON,
  OFF;

  /**
   * Parses a flag value.
   *
   * @throws IllegalArgumentException for anything but text, json or off
   */
  public static AccessLogFormat parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      case "off" -> OFF;
      default ->
          throw new IllegalArgumentException(
              "--access-log: " + value + " (expected: text, json or off)");
    };
  }
}
