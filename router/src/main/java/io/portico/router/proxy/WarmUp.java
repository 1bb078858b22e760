package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.LiveConfig;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.tls.CertificateGenerator;
import io.portico.tls.CertificateGenerator.LeafRequest;
import io.portico.tls.CertificateSet;
import io.portico.tls.KeyType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs the proxy's hot paths for a while before a replica reports ready, so that the first real
 * requests meet compiled code rather than the interpreter: a JVM that just started serves a
 * fraction of its steady rate until the JIT has seen enough of each path.
 *
 * <p>The traffic never touches the real listeners, routes, metrics or logs: a second {@link
 * ProxyServer} on loopback ports, with the real listeners' settings and TLS engine, routes to a
 * loopback backend of its own, and both close at the end. Its code is the real listeners' code, so
 * what the JIT compiles serves them. The mix covers what a replica meets first: HTTP/1.1 on kept
 * and on new connections, uploads, HTTP/2 without TLS, and HTTPS with new handshakes (when the real
 * listeners serve HTTPS).
 */
public final class WarmUp {

  /** What the warm-up did: requests answered 200, the others, and how long it took. */
  public record Result(long requests, long failures, Duration took, @Nullable String firstError) {}

  private static final String HOST = "warm-up.portico.invalid";
  private static final Buffer UPLOAD = Buffer.buffer(new byte[2048]);
  private static final Buffer ANSWER = Buffer.buffer("warm");

  /** Bounds each warm-up request, so that a lane that cannot get an answer stops. */
  private static final long REQUEST_TIMEOUT_MILLIS = 10_000;

  // Before the first answer: the first requests load classes, which the duration must not eat.
  private static final long NOT_STARTED = Long.MIN_VALUE;

  private final Vertx vertx;
  private final Duration duration;
  // Set by the first answer: the traffic runs for the duration from then.
  private final AtomicLong deadlineNanos = new AtomicLong(NOT_STARTED);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<@Nullable String> firstError = new AtomicReference<>();

  private WarmUp(Vertx vertx, Duration duration) {
    this.vertx = vertx;
    this.duration = duration;
  }

  /**
   * Sends traffic for {@code duration} from the first answer (the first requests of a cold JVM
   * mostly load classes); the future completes once the warm-up's listeners and backend have
   * closed. It never fails: what went wrong is in the result.
   *
   * @param settings the real listeners' settings; the warm-up binds loopback ports of its own
   * @param https the real HTTPS listener's settings, or {@code null} when it serves none
   */
  public static Future<Result> run(
      Vertx vertx, ProxySettings settings, @Nullable HttpsSettings https, Duration duration) {
    requireNonNull(vertx, "vertx");
    requireNonNull(settings, "settings");
    requireNonNull(duration, "duration");
    long started = System.nanoTime();
    WarmUp warmUp = new WarmUp(vertx, duration);
    return warmUp
        .start(settings, https)
        .map(
            ignored ->
                new Result(
                    warmUp.requests.get(),
                    warmUp.failures.get(),
                    Duration.ofNanos(System.nanoTime() - started),
                    warmUp.firstError.get()))
        .otherwise(
            cause ->
                new Result(
                    warmUp.requests.get(),
                    warmUp.failures.get() + 1,
                    Duration.ofNanos(System.nanoTime() - started),
                    String.valueOf(cause)));
  }

  /** The warm-up's own backend and proxy. */
  private record Loopback(HttpServer backend, ProxyServer proxy) {
    Future<Void> close() {
      return proxy.close().eventually(backend::close);
    }
  }

  private Future<Void> start(ProxySettings settings, @Nullable HttpsSettings https) {
    // Setting up loads classes, generates a key and binds ports: never on an event loop.
    return vertx
        .executeBlocking(() -> loopback(settings, https))
        .compose(loopback -> drive(loopback.proxy()).eventually(loopback::close));
  }

  /** Starts the backend and the proxy; runs on a worker thread, which may wait. */
  private Loopback loopback(ProxySettings settings, @Nullable HttpsSettings https)
      throws Exception {
    LiveConfig live =
        https == null ? new LiveConfig() : new LiveConfig(CertificateSet.of(certificate()));
    HttpServer backend =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> request.body().onComplete(body -> request.response().end(ANSWER)));
    backend.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    live.publish(table(backend.actualPort()));
    ProxySettings loopback =
        settings.toBuilder()
            .bindHost("127.0.0.1")
            .httpPort(0)
            .proxyProtocol(false)
            .h2cPriorKnowledge(true)
            .build();
    HttpsSettings tls = https == null ? null : HttpsSettings.defaults(0).withEngine(https.engine());
    try {
      ProxyServer proxy =
          ProxyServer.start(vertx, live, loopback, tls, TrafficObserver.NONE, false)
              .toCompletionStage()
              .toCompletableFuture()
              .get();
      return new Loopback(backend, proxy);
    } catch (Exception e) {
      backend.close();
      throw e;
    }
  }

  private static RouteTable table(int backendPort) {
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of(HOST),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("portico-warm-up", "backend", "http"),
                List.of(Endpoint.of("127.0.0.1", backendPort))),
            new RouteOrigin("portico-warm-up", "warm-up")));
    return table.build();
  }

  private static io.portico.tls.TlsKeyPair certificate() {
    return CertificateGenerator.selfSigned(
        LeafRequest.builder()
            .commonName(HOST)
            .dnsName(HOST)
            .keyType(KeyType.EC_P256)
            .validity(Duration.ofDays(1))
            .build(),
        Instant.now());
  }

  /** Runs every lane until the deadline; completes when all have stopped. */
  private Future<Void> drive(ProxyServer proxy) {
    List<HttpClient> clients = new ArrayList<>();
    List<Future<Void>> lanes = new ArrayList<>();
    HttpClient kept = client(clients, new HttpClientOptions(), 8);
    HttpClient fresh = client(clients, new HttpClientOptions().setKeepAlive(false), 2);
    HttpClient h2 =
        client(
            clients,
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false),
            1);
    for (int i = 0; i < 4; i++) {
      lanes.add(lane(kept, proxy.httpPort(), HttpMethod.GET));
    }
    lanes.add(lane(kept, proxy.httpPort(), HttpMethod.POST));
    lanes.add(lane(fresh, proxy.httpPort(), HttpMethod.GET));
    for (int i = 0; i < 2; i++) {
      lanes.add(lane(h2, proxy.httpPort(), HttpMethod.GET));
    }
    if (proxy.httpsPort() > 0) {
      HttpClientOptions tls =
          new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false);
      HttpClient handshakes = client(clients, new HttpClientOptions(tls).setKeepAlive(false), 1);
      HttpClient h2Tls =
          client(
              clients,
              new HttpClientOptions(tls).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2),
              1);
      lanes.add(lane(handshakes, proxy.httpsPort(), HttpMethod.GET));
      lanes.add(lane(h2Tls, proxy.httpsPort(), HttpMethod.GET));
    }
    return Future.join(lanes)
        .<Void>mapEmpty()
        .eventually(() -> Future.join(clients.stream().map(HttpClient::close).toList()).mapEmpty());
  }

  private HttpClient client(List<HttpClient> clients, HttpClientOptions options, int connections) {
    HttpClient client =
        vertx.createHttpClient(
            options, new PoolOptions().setHttp1MaxSize(connections).setHttp2MaxSize(1));
    clients.add(client);
    return client;
  }

  /** One request after the other on {@code client} until the deadline. */
  private Future<Void> lane(HttpClient client, int port, HttpMethod method) {
    Promise<Void> done = Promise.promise();
    next(client, port, method, done);
    return done.future();
  }

  private void next(HttpClient client, int port, HttpMethod method, Promise<Void> done) {
    long deadline = deadlineNanos.get();
    if (deadline != NOT_STARTED && System.nanoTime() - deadline >= 0) {
      done.complete();
      return;
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
            .setHost(HOST)
            .setURI("/warm-up?n=" + requests.get())
            .setConnectTimeout(REQUEST_TIMEOUT_MILLIS)
            .setIdleTimeout(REQUEST_TIMEOUT_MILLIS);
    client
        .request(options)
        .compose(request -> method == HttpMethod.POST ? request.send(UPLOAD) : request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(
            answered -> {
              if (answered.succeeded() && answered.result() == 200) {
                requests.incrementAndGet();
                deadlineNanos.compareAndSet(NOT_STARTED, System.nanoTime() + duration.toNanos());
                next(client, port, method, done);
              } else {
                failures.incrementAndGet();
                firstError.compareAndSet(
                    null,
                    answered.succeeded()
                        ? "status " + answered.result()
                        : String.valueOf(answered.cause()));
                // A lane that fails stops: the warm-up is best effort, never a load of errors.
                done.complete();
              }
            });
  }
}
