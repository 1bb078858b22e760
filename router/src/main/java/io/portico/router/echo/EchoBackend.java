package io.portico.router.echo;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small backend that answers every request with its name, the address it listens on and the
 * request it saw, as JSON: the backend of {@code portico demo} and of the tests. The body is
 * streamed, never held: the answer reports its size and SHA-256.
 *
 * <p>Query parameters shape the answer, for demonstrations and tests: {@code status} (the status
 * code), {@code delay} (milliseconds before answering), {@code size} (answer with that many bytes
 * instead of JSON, streamed in 64 KiB chunks with a Content-Length). A WebSocket upgrade gets an
 * echo of every message.
 */
public final class EchoBackend {

  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final HttpServer server;
  private final AtomicLong requests;

  private EchoBackend(String name, HttpServer server, AtomicLong requests) {
    this.name = name;
    this.server = server;
    this.requests = requests;
  }

  /** Starts a backend called {@code name} on {@code host:port} (port 0 picks a free one). */
  public static Future<EchoBackend> start(Vertx vertx, String name, String host, int port) {
    requireNonNull(name, "name");
    HttpServer server = vertx.createHttpServer();
    AtomicLong requests = new AtomicLong();
    server.webSocketHandler(EchoBackend::echo);
    server.requestHandler(
        request -> {
          requests.incrementAndGet();
          answer(name, request);
        });
    return server.listen(port, host).map(s -> new EchoBackend(name, s, requests));
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.actualPort();
  }

  /** How many HTTP requests (not WebSocket upgrades) this backend has received. */
  public long requests() {
    return requests.get();
  }

  public Future<Void> close() {
    return server.close();
  }

  private static void echo(ServerWebSocket socket) {
    socket.textMessageHandler(socket::writeTextMessage);
    socket.binaryMessageHandler(socket::writeBinaryMessage);
  }

  private static void answer(String name, HttpServerRequest request) {
    MessageDigest digest = sha256();
    long[] bytes = {0};
    request.handler(
        chunk -> {
          bytes[0] += chunk.length();
          digest.update(chunk.getBytes());
        });
    request.endHandler(
        end -> {
          long delay = longParam(request, "delay", 0);
          Runnable respond = () -> respond(name, request, bytes[0], digest);
          if (delay > 0) {
            request.response().exceptionHandler(ignored -> {});
            Vertx.currentContext().owner().setTimer(delay, id -> respond.run());
          } else {
            respond.run();
          }
        });
  }

  private static void respond(
      String name, HttpServerRequest request, long bodyBytes, MessageDigest digest) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return;
    }
    response.setStatusCode((int) longParam(request, "status", 200));
    long size = longParam(request, "size", -1);
    if (size >= 0) {
      response.putHeader("content-type", "application/octet-stream");
      response.putHeader("content-length", Long.toString(size));
      writeBytes(response, size);
      return;
    }
    Map<String, String> headers = new TreeMap<>();
    request
        .headers()
        .forEach(
            h ->
                headers.merge(
                    h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
    JsonObject seen =
        new JsonObject()
            .put("backend", name)
            .put(
                "instance",
                request.localAddress().hostAddress() + ":" + request.localAddress().port())
            .put("method", request.method().name())
            .put("uri", request.uri())
            .put("version", request.version().alpnName())
            .put("headers", new JsonObject(Map.copyOf(headers)))
            .put("bodyBytes", bodyBytes)
            .put("bodySha256", HexFormat.of().formatHex(digest.digest()));
    response.putHeader("content-type", "application/json").end(seen.encodePrettily() + "\n");
  }

  /** Writes {@code remaining} bytes with back-pressure, pausing while the write queue is full. */
  private static void writeBytes(HttpServerResponse response, long remaining) {
    while (remaining > 0 && !response.writeQueueFull()) {
      int n = (int) Math.min(CHUNK, remaining);
      remaining -= n;
      response.write(Buffer.buffer(new byte[n]));
    }
    if (remaining == 0) {
      response.end();
      return;
    }
    long left = remaining;
    response.drainHandler(drained -> writeBytes(response, left));
  }

  private static long longParam(HttpServerRequest request, String name, long fallback) {
    String value = request.getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
