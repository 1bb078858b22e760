package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.policy.PolicyAnswer;
import io.portico.router.policy.SideRequest;
import io.portico.router.policy.SideResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the side requests of one listener's policies (external auth) on its event loop: plain HTTP
 * through the event loop's Vert.x client, HTTPS through a client of its own made at the first such
 * request (verifying the service's certificate and host name against the JVM's trusted
 * authorities). The host is resolved without blocking, and the address is checked by the {@link
 * UpstreamAddressGuard}: link-local, cloud metadata, multicast and unspecified addresses are
 * refused, as for ExternalName Services; loopback and Portico's own addresses are allowed, since an
 * auth service beside Portico (a sidecar) is a common set-up. Confined to the event loop.
 */
final class SideRequestClient {

  private static final Logger LOG = LoggerFactory.getLogger(SideRequestClient.class);

  /** What the guard refuses that a side request may still reach. */
  private static final Set<String> ALLOWED = Set.of("loopback", "portico-own");

  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Vertx vertx;
  private final HttpClient plain;
  private final UpstreamAddressGuard guard;
  private final Function<String, io.netty.util.concurrent.Future<InetAddress>> resolver;
  private @Nullable Future<HttpClient> tls;
  // When a refusal was last logged: a flood of requests logs once a minute.
  private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

  /**
   * @param plain the event loop's plain HTTP/1.1 client
   * @param resolver resolves a host name on the event loop
   */
  SideRequestClient(
      Vertx vertx,
      HttpClient plain,
      UpstreamAddressGuard guard,
      Function<String, io.netty.util.concurrent.Future<InetAddress>> resolver) {
    this.vertx = requireNonNull(vertx, "vertx");
    this.plain = requireNonNull(plain, "plain");
    this.guard = requireNonNull(guard, "guard");
    this.resolver = requireNonNull(resolver, "resolver");
  }

  /** Sends {@code request}; {@code callback} hears the answer's head once, on this event loop. */
  void send(SideRequest request, SideRequest.Callback callback) {
    String host = request.url().getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    resolver
        .apply(bare)
        .addListener(
            resolved -> {
              if (!resolved.isSuccess()) {
                callback.failed(resolved.cause());
                return;
              }
              InetAddress address = (InetAddress) resolved.getNow();
              String refusal = guard.refusal(address);
              if (refusal != null && !ALLOWED.contains(refusal)) {
                warnRefused(bare, address, refusal);
                callback.failed(new UpstreamAddressGuard.RefusedException(refusal));
                return;
              }
              connect(request, host, address, callback);
            });
  }

  private void warnRefused(String host, InetAddress address, String refusal) {
    long now = System.nanoTime();
    if (now - lastWarnNanos < WARN_EVERY_NANOS) {
      return;
    }
    lastWarnNanos = now;
    LOG.warn(
        "event=side_request_refused host={} address={} reason={}"
            + " detail=\"an auth service may not send Portico to this address\"",
        host,
        address.getHostAddress(),
        refusal);
  }

  private void connect(
      SideRequest request, String host, InetAddress address, SideRequest.Callback callback) {
    int port = request.port();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(request.method()))
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setHost(host)
            .setPort(port)
            .setSsl(request.tls())
            .setURI(request.pathAndQuery())
            .setFollowRedirects(false)
            .setConnectTimeout(request.connectTimeout().toMillis())
            .setIdleTimeout(request.readTimeout().toMillis());
    boolean defaultPort = port == (request.tls() ? 443 : 80);
    client(request.tls())
        .compose(client -> client.request(options))
        .compose(
            sending -> {
              for (PolicyAnswer.Header header : request.headers()) {
                sending.headers().add(header.name(), header.value());
              }
              sending.authority(HostAndPort.create(host, defaultPort ? -1 : port));
              return sending.send();
            })
        .onComplete(
            answered -> {
              if (answered.failed()) {
                callback.failed(answered.cause());
                return;
              }
              HttpClientResponse response = answered.result();
              // The body is not used: drop it, so that the connection can carry the next one.
              response.handler(chunk -> {});
              response.exceptionHandler(
                  cause -> LOG.debug("event=side_response_failed cause={}", cause.toString()));
              callback.answered(new SideResponse(response.statusCode(), headers(response)));
            });
  }

  private static List<PolicyAnswer.Header> headers(HttpClientResponse response) {
    List<PolicyAnswer.Header> headers = new ArrayList<>(response.headers().size());
    for (Map.Entry<String, String> header : response.headers()) {
      try {
        headers.add(new PolicyAnswer.Header(header.getKey(), header.getValue()));
      } catch (IllegalArgumentException e) {
        // A header no policy could pass on (not a token, CR or LF): left out.
        LOG.debug("event=side_response_header_dropped name={}", header.getKey());
      }
    }
    return headers;
  }

  private Future<HttpClient> client(boolean tls) {
    if (!tls) {
      return Future.succeededFuture(plain);
    }
    Future<HttpClient> client = this.tls;
    if (client == null) {
      // Building TLS contexts may take long: on a worker, shared by those who ask meanwhile.
      client =
          vertx.executeBlocking(
              () ->
                  vertx.createHttpClient(
                      new HttpClientOptions()
                          .setSsl(true)
                          .setVerifyHost(true)
                          .setForceSni(true)
                          .setKeepAlive(true)),
              false);
      this.tls = client;
      client.onFailure(failure -> this.tls = null);
    }
    return client;
  }
}
