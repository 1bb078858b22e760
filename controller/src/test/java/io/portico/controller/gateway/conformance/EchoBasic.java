package io.portico.controller.gateway.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for one pod of the conformance suite's echo backend: it answers every request
 * with a JSON description of what it received (the raw request URI as {@code path}, the Host as
 * received, the method, the headers under their canonical names without Host, and its own
 * namespace, service and pod), honours {@code X-Echo-Set-Header}, {@code /status/NNN} and {@code
 * ?delay=}, and remembers the URIs it was asked for (what mirror tests look for).
 */
final class EchoBasic {

  private final String namespace;
  private final String pod;
  private final HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  private EchoBasic(String namespace, String pod, HttpServer server) {
    this.namespace = namespace;
    this.pod = pod;
    this.server = server;
  }

  static Future<EchoBasic> start(Vertx vertx, String namespace, String service, String pod) {
    HttpServer server = vertx.createHttpServer();
    EchoBasic[] self = new EchoBasic[1];
    server.requestHandler(request -> self[0].answer(request, service));
    return server
        .listen(0, "127.0.0.1")
        .map(
            listening -> {
              self[0] = new EchoBasic(namespace, pod, listening);
              return self[0];
            });
  }

  int port() {
    return server.actualPort();
  }

  String pod() {
    return pod;
  }

  /** The request URIs received, in order. */
  List<String> received() {
    return received;
  }

  Future<Void> close() {
    return server.close();
  }

  private void answer(HttpServerRequest request, String service) {
    received.add(request.uri());
    String path = request.path();
    if (path.startsWith("/status/")) {
      request.response().setStatusCode(Integer.parseInt(path.substring(8))).end();
      return;
    }
    String delay = request.getParam("delay");
    long millis = delay == null ? 0 : parseDuration(delay);
    request
        .body()
        .onComplete(
            body -> {
              if (millis > 0) {
                request.response().exceptionHandler(e -> {});
                Vertx.currentContext().owner().setTimer(millis, id -> respond(request, service));
              } else {
                respond(request, service);
              }
            });
  }

  private void respond(HttpServerRequest request, String service) {
    if (request.response().closed()) {
      return;
    }
    Map<String, List<String>> headers = new TreeMap<>();
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.equalsIgnoreCase("host")) {
                headers
                    .computeIfAbsent(canonical(name), n -> new CopyOnWriteArrayList<>())
                    .add(value);
              }
            });
    JsonObject json =
        new JsonObject()
            .put("path", request.uri())
            .put("host", request.headers().get("host"))
            .put("method", request.method().name())
            .put(
                "proto",
                request.version() == io.vertx.core.http.HttpVersion.HTTP_2
                    ? "HTTP/2.0"
                    : "HTTP/1.1")
            .put("headers", new JsonObject(new TreeMap<>(Map.copyOf(toJson(headers)))))
            .put("namespace", namespace)
            .put("ingress", "")
            .put("service", service)
            .put("pod", pod)
            .put("httpPort", "3000");
    String set = request.getHeader("X-Echo-Set-Header");
    if (set != null && !set.isEmpty()) {
      for (String pair : set.split(",")) {
        int colon = pair.indexOf(':');
        if (colon > 0) {
          request
              .response()
              .headers()
              .add(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
      }
    }
    request
        .response()
        .putHeader("content-type", "application/json")
        .putHeader("x-content-type-options", "nosniff")
        .end(json.encodePrettily());
  }

  private static Map<String, Object> toJson(Map<String, List<String>> headers) {
    Map<String, Object> out = new TreeMap<>();
    headers.forEach((name, values) -> out.put(name, new JsonArray(List.copyOf(values))));
    return out;
  }

  /** As Go's {@code http.CanonicalHeaderKey}: {@code x-header-set} is {@code X-Header-Set}. */
  static String canonical(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      out.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return out.toString();
  }

  private static long parseDuration(String text) {
    if (text.endsWith("ms")) {
      return Long.parseLong(text.substring(0, text.length() - 2));
    }
    if (text.endsWith("s")) {
      return Long.parseLong(text.substring(0, text.length() - 1)) * 1000;
    }
    return Long.parseLong(text);
  }
}
