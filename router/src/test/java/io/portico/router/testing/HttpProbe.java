package io.portico.router.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.lang.ref.Reference;

/** A blocking HTTP client for tests: sends a request with any Host header to 127.0.0.1:port. */
public final class HttpProbe {

  /** What came back. */
  public record Answer(int status, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.toJsonObject();
    }

    public String text() {
      return body.toString();
    }

    /** The name of the echo backend that answered. */
    public String backend() {
      return json().getString("backend");
    }
  }

  private final HttpClient client;
  private final int port;

  public HttpProbe(Vertx vertx, int port) {
    this(vertx, port, new HttpClientOptions());
  }

  public HttpProbe(Vertx vertx, int port, HttpClientOptions options) {
    this.client = vertx.createHttpClient(options);
    this.port = port;
  }

  public Answer get(String host, String uri) throws Exception {
    return send(HttpMethod.GET, host, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  public Answer send(HttpMethod method, String host, String uri, MultiMap headers, Buffer body)
      throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
            .setHost(host)
            .setPort(80)
            .setURI(uri)
            .setHeaders(headers);
    // The body handler is attached in the callback that receives the response, on its event loop:
    // chained from this (non-Vert.x) thread, it could be attached after the body arrived, and the
    // answer would come back empty (eclipse-vertx/vert.x#5825).
    try {
      return TestVertx.await(
          client
              .request(options)
              .compose(
                  request ->
                      (body == null ? request.send() : request.send(body))
                          .compose(
                              response ->
                                  response
                                      .body()
                                      .map(
                                          b ->
                                              new Answer(
                                                  response.statusCode(), response.headers(), b)))));
    } finally {
      // Vert.x 5 closes a client the garbage collector finds unreachable; this probe (and so its
      // client) must stay reachable until the answer is in.
      Reference.reachabilityFence(this);
    }
  }
}
