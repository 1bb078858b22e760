package io.portico.router.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A real external auth service for the tests, on 127.0.0.1: it records every request it gets
 * (method, URI, headers, body size) and answers each as the test says, by default 200. A request
 * whose answer the test leaves unwritten (a handler that does nothing) never gets one, for
 * timeouts.
 */
public final class AuthService {

  /** One request as the service saw it. */
  public record Seen(String method, String uri, MultiMap headers, long bodyBytes) {}

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Consumer<HttpServerRequest> answer = request -> request.response().end();

  private AuthService(HttpServer server) {
    this.server = server;
  }

  /** Starts a service on a free port of 127.0.0.1. */
  public static Future<AuthService> start(Vertx vertx) {
    AuthService[] service = new AuthService[1];
    HttpServer server =
        vertx.createHttpServer().requestHandler(request -> service[0].handle(request));
    service[0] = new AuthService(server);
    return server.listen(0, "127.0.0.1").map(listening -> service[0]);
  }

  /** Answers every request with {@code status} and the header pairs {@code headers}. */
  public void answer(int status, String... headers) {
    answer(
        request -> {
          HttpServerResponse response = request.response().setStatusCode(status);
          for (int i = 0; i + 1 < headers.length; i += 2) {
            response.headers().add(headers[i], headers[i + 1]);
          }
          response.end("auth answer body");
        });
  }

  /** Answers every request as {@code answer} does (it may leave the answer unwritten). */
  public void answer(Consumer<HttpServerRequest> answer) {
    this.answer = answer;
  }

  public int port() {
    return server.actualPort();
  }

  /** The requests seen so far, in order. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The last request seen. */
  public Seen last() {
    return seen.get(seen.size() - 1);
  }

  private void handle(HttpServerRequest request) {
    long[] bytes = {0};
    request.handler(chunk -> bytes[0] += chunk.length());
    request.endHandler(
        end -> {
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
          seen.add(new Seen(request.method().name(), request.uri(), headers, bytes[0]));
          answer.accept(request);
        });
  }
}
