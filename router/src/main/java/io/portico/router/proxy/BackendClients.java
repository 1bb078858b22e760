package io.portico.router.proxy;

import io.portico.router.route.BackendProtocol;
import io.portico.router.route.BackendTls;
import io.portico.router.route.UpstreamSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One event loop's Vert.x clients: the plain HTTP/1.1 one every listener shares, and one per other
 * way of speaking to backends that a route asks for (HTTPS, gRPC over h2c or TLS, HTTP/1.0, each
 * with its TLS settings), made at the first request that needs it. Confined to the event loop: the
 * map needs no lock, and a route with the default settings never looks at it.
 */
final class BackendClients {

  private static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private final Vertx vertx;
  private final HttpClientOptions base;
  private final PoolOptions pool;
  private final HttpClient plain;
  private final Future<HttpClient> plainReady;
  private final Map<Kind, Future<HttpClient>> others = new HashMap<>();

  /** What sets one client apart from another. */
  private record Kind(BackendProtocol protocol, BackendTls tls, boolean http10) {}

  BackendClients(Vertx vertx, HttpClientOptions base, PoolOptions pool) {
    this.vertx = vertx;
    this.base = base;
    this.pool = pool;
    this.plain = vertx.createHttpClient(new HttpClientOptions(base), pool);
    this.plainReady = Future.succeededFuture(plain);
  }

  /** The plain HTTP/1.1 client (mirror copies go with it). */
  HttpClient plain() {
    return plain;
  }

  /**
   * The client that speaks to a backend as {@code settings} say: the plain one at once (a completed
   * future made once), another when it is first asked for. Building a client with TLS parses PEM
   * and prepares certificate checks, which may take long: it is done on a worker thread, and the
   * attempts that asked meanwhile share its future.
   */
  Future<HttpClient> client(UpstreamSettings settings) {
    BackendProtocol protocol = settings.protocol();
    if (!protocol.tls() && !protocol.http2() && !settings.http10()) {
      return plainReady;
    }
    Kind kind =
        new Kind(protocol, protocol.tls() ? settings.tls() : BackendTls.DEFAULT, settings.http10());
    Future<HttpClient> client = others.get(kind);
    if (client == null) {
      // One multiplexed HTTP/2 connection per endpoint carries every gRPC stream.
      PoolOptions kindPool =
          kind.protocol().http2() ? new PoolOptions(pool).setHttp2MaxSize(1) : pool;
      client = vertx.executeBlocking(() -> vertx.createHttpClient(options(kind), kindPool), false);
      others.put(kind, client);
      // A client that could not be built (bad PEM) is tried again by the next request.
      client.onFailure(failure -> others.remove(kind));
    }
    return client;
  }

  private HttpClientOptions options(Kind kind) {
    HttpClientOptions options = new HttpClientOptions(base);
    if (kind.http10()) {
      // nginx's proxy_http_version 1.0: one request per connection.
      options.setProtocolVersion(HttpVersion.HTTP_1_0).setKeepAlive(false);
    }
    if (kind.protocol().http2()) {
      // gRPC: HTTP/2 with prior knowledge in clear text, or negotiated by ALPN over TLS.
      options
          .setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false)
          .setUseAlpn(kind.protocol().tls())
          .setHttp2MultiplexingLimit(-1);
    }
    if (kind.protocol().tls()) {
      BackendTls tls = kind.tls();
      options.setSsl(true).setVerifyHost(false).setForceSni(tls.serverName());
      options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()));
      options.setTrustOptions(TrustOptions.wrap(new BackendTrustManager(tls)));
      if (!tls.ciphers().isEmpty()) {
        // proxy-ssl-ciphers restricts TLS 1.2 only, as nginx's proxy_ssl_ciphers does.
        tls.ciphers().forEach(options::addEnabledCipherSuite);
        TLS13_SUITES.forEach(options::addEnabledCipherSuite);
      }
      if (tls.hasClientCertificate()) {
        options.setKeyCertOptions(
            new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(tls.clientCertificatePem()))
                .addKeyValue(Buffer.buffer(tls.clientKeyPem())));
      }
    }
    return options;
  }

  /** Closes every client. */
  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(plain.close());
    for (Future<HttpClient> client : others.values()) {
      closing.add(client.compose(HttpClient::close, failure -> Future.succeededFuture()));
    }
    others.clear();
    return Future.all(closing).mapEmpty();
  }
}
