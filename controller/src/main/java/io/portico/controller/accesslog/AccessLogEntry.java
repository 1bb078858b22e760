package io.portico.controller.accesslog;

import io.portico.router.proxy.RequestRecord;
import io.portico.router.route.RouteTarget;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * One request, copied off its record on the event loop so that it can be formatted on the writer
 * thread. Query strings are kept only when asked; headers never are (they may hold credentials).
 */
record AccessLogEntry(
    long startMillis,
    @Nullable String client,
    @Nullable String host,
    String method,
    String path,
    String protocol,
    int status,
    long bytes,
    long durationNanos,
    @Nullable String upstream,
    long upstreamNanos,
    @Nullable String ingress,
    @Nullable String service) {

  static AccessLogEntry of(RequestRecord record, boolean withQuery) {
    RouteTarget target = record.target();
    String query = withQuery ? record.query() : null;
    return new AccessLogEntry(
        record.startMillis(),
        record.client(),
        record.host(),
        record.method().name(),
        query == null ? record.path() : record.path() + "?" + query,
        protocol(record.version()),
        record.status(),
        record.bytesSent(),
        record.durationNanos(),
        record.endpoint() == null ? null : record.endpoint().address(),
        record.upstreamNanos(),
        target == null ? null : target.route().origin().toString(),
        target == null
            ? null
            : target.servedBy().id().namespace() + "/" + target.servedBy().id().service());
  }

  private static String protocol(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }

  /**
   * {@code time client host "method path protocol" status bytes duration upstream upstream_time
   * ingress service}, with {@code -} for what is missing and durations in seconds.
   */
  void appendText(StringBuilder out) {
    out.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(startMillis)))
        .append(' ')
        .append(orDash(client))
        .append(' ')
        .append(orDash(host))
        .append(" \"")
        .append(method)
        .append(' ');
    appendQuoted(out, path);
    out.append(' ')
        .append(protocol)
        .append("\" ")
        .append(status)
        .append(' ')
        .append(bytes)
        .append(' ')
        .append(seconds(durationNanos))
        .append(' ')
        .append(orDash(upstream))
        .append(' ')
        .append(upstreamNanos < 0 ? "-" : seconds(upstreamNanos))
        .append(' ')
        .append(orDash(ingress))
        .append(' ')
        .append(orDash(service));
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("time", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(startMillis)))
            .put("client", client)
            .put("host", host)
            .put("method", method)
            .put("path", path)
            .put("protocol", protocol)
            .put("status", status)
            .put("bytes", bytes)
            .put("duration", Double.parseDouble(seconds(durationNanos)))
            .put("upstream", upstream)
            .put(
                "upstream_time",
                upstreamNanos < 0 ? null : Double.parseDouble(seconds(upstreamNanos)))
            .put("ingress", ingress)
            .put("service", service);
    return json;
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.6f", nanos / 1e9);
  }

  private static String orDash(@Nullable String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }

  /** The path as sent, with quotes, backslashes and control characters escaped. */
  private static void appendQuoted(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(c);
      }
    }
  }
}
