package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.portico.tls.CertificateChoiceListener;
import io.portico.tls.CertificateSet;
import io.portico.tls.OcspException;
import io.portico.tls.OcspStaple;
import io.portico.tls.OcspTarget;
import io.portico.tls.TlsKeyPair;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP stapling ({@code enable-ocsp}): keeps a current, checked OCSP response for each served
 * certificate whose Authority Information Access names a responder, and attaches it to the
 * handshakes that certificate serves.
 *
 * <p><b>Fetching.</b> All the work happens on one Vert.x context of its own, never in a handshake:
 * the served certificate sets are compared (by reference) at a short interval, and a certificate
 * that appears is fetched at once: a POST of its {@link OcspTarget#request()} through a Vert.x HTTP
 * client, the answer checked by {@link OcspTarget#check} on a worker. A good response is kept until
 * its {@code nextUpdate} (one hour when it has none) and fetched again halfway there; a failure is
 * retried with a doubling backoff. A response that is not stapled (revoked, unknown, badly signed,
 * stale) replaces the one kept, so a revocation stops the stapling; a responder that cannot be
 * reached leaves the kept response in place while it is valid. A certificate that is no longer
 * served is forgotten, its timers cancelled.
 *
 * <p><b>Stapling.</b> {@link #chosen} runs in the handshake, after {@code SniKeyManager} chose the
 * certificate: a map lookup and a clock read; with Netty's OpenSSL engine (contexts built with OCSP
 * on, see {@link OcspContextFactory}), it hands the response to the engine, which sends it to
 * clients that asked for the status. Nothing here can fail or delay a handshake: without a current
 * response the handshake goes on without one.
 */
final class OcspStapler implements CertificateChoiceListener {

  private static final Logger LOG = LoggerFactory.getLogger(OcspStapler.class);

  /** What the address guard refuses that a responder may still be (see {@link #allowedAddress}). */
  private static final Set<String> ALLOWED = Set.of("loopback", "portico-own");

  /** The largest OCSP response accepted; real ones are a few kilobytes. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /**
   * The stapler's clock work.
   *
   * @param checkEvery how often the served certificate sets are compared with the last ones seen
   * @param minRefresh the shortest wait before fetching a good response again
   * @param maxRefresh the longest wait before fetching a good response again
   * @param withoutNextUpdate how long a response without {@code nextUpdate} is stapled
   * @param firstRetry the wait after a first failure, doubled after each further one
   * @param maxRetry the longest wait after failures
   * @param timeout the connect and read timeout of a fetch
   */
  record Timing(
      Duration checkEvery,
      Duration minRefresh,
      Duration maxRefresh,
      Duration withoutNextUpdate,
      Duration firstRetry,
      Duration maxRetry,
      Duration timeout) {

    static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofHours(12),
            Duration.ofHours(1),
            Duration.ofSeconds(10),
            Duration.ofMinutes(10),
            Duration.ofSeconds(5));

    Timing {
      requireNonNull(checkEvery, "checkEvery");
      requireNonNull(minRefresh, "minRefresh");
      requireNonNull(maxRefresh, "maxRefresh");
      requireNonNull(withoutNextUpdate, "withoutNextUpdate");
      requireNonNull(firstRetry, "firstRetry");
      requireNonNull(maxRetry, "maxRetry");
      requireNonNull(timeout, "timeout");
    }

    /** When to fetch a good response again: halfway to its end, within the bounds. */
    Duration refreshIn(Instant now, Instant validUntil) {
      Duration half = Duration.between(now, validUntil).dividedBy(2);
      return clamp(half, minRefresh, maxRefresh);
    }

    /** The wait after {@code failures} consecutive failures (at least one). */
    Duration retryIn(int failures) {
      Duration wait = firstRetry;
      for (int i = 1; i < failures && wait.compareTo(maxRetry) < 0; i++) {
        wait = wait.multipliedBy(2);
      }
      return clamp(wait, firstRetry, maxRetry);
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
      return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }
  }

  /** A checked response and the instant it must no longer be stapled. */
  private record Current(OcspStaple staple, long validUntilMillis) {}

  /** One served certificate; fields other than {@code current} are touched on the context only. */
  private static final class Tracked {
    final TlsKeyPair pair;
    final @Nullable OcspTarget target;
    volatile @Nullable Current current;
    long timer = -1;
    int failures;
    // Why the last fetch failed, for tests and explanations; null after a success.
    volatile @Nullable String lastFailure;

    Tracked(TlsKeyPair pair, @Nullable OcspTarget target) {
      this.pair = pair;
      this.target = target;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final Supplier<List<CertificateSet>> served;
  private final Clock clock;
  private final Timing timing;
  private final Map<TlsKeyPair, Tracked> tracked = new ConcurrentHashMap<>();
  private final UpstreamAddressGuard guard;
  // Touched on the context only.
  private List<CertificateSet> lastSeen = List.of();
  private long checkTimer = -1;
  private boolean closed;

  private OcspStapler(
      Vertx vertx,
      Supplier<List<CertificateSet>> served,
      Clock clock,
      Timing timing,
      UpstreamAddressGuard guard) {
    this.vertx = vertx;
    this.guard = guard;
    this.served = served;
    this.clock = clock;
    this.timing = timing;
    // A context of its own: the stapler's timers and fetches never share a listener's state.
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) timing.timeout().toMillis())
                .setKeepAlive(false)
                .setMaxRedirects(0));
  }

  /**
   * Starts watching the sets {@code served} returns (every set a TLS listener serves from) and
   * fetching for their certificates.
   */
  static OcspStapler start(
      Vertx vertx,
      Supplier<List<CertificateSet>> served,
      Clock clock,
      Timing timing,
      UpstreamAddressGuard guard) {
    requireNonNull(vertx, "vertx");
    requireNonNull(guard, "guard");
    requireNonNull(served, "served");
    requireNonNull(clock, "clock");
    requireNonNull(timing, "timing");
    OcspStapler stapler = new OcspStapler(vertx, served, clock, timing, guard);
    stapler.context.runOnContext(
        ignored -> {
          stapler.check();
          stapler.checkTimer =
              stapler.vertx.setPeriodic(timing.checkEvery().toMillis(), id -> stapler.check());
        });
    return stapler;
  }

  /**
   * Staples the current response of {@code pair}, if there is one, to {@code engine}'s handshake.
   */
  @Override
  public void chosen(SSLEngine engine, TlsKeyPair pair) {
    Tracked entry = tracked.get(pair);
    Current current = entry == null ? null : entry.current;
    if (current == null
        || clock.millis() >= current.validUntilMillis()
        || !(engine instanceof ReferenceCountedOpenSslEngine openSsl)) {
      return;
    }
    openSsl.setOcspResponse(current.staple().encoded());
  }

  /** Whether a response for {@code pair} would be stapled now. */
  boolean stapling(TlsKeyPair pair) {
    Tracked entry = tracked.get(pair);
    Current current = entry == null ? null : entry.current;
    return current != null && clock.millis() < current.validUntilMillis();
  }

  /** Why the last fetch for {@code pair} failed, or {@code null} (none yet, or it succeeded). */
  @Nullable String lastFailure(TlsKeyPair pair) {
    Tracked entry = tracked.get(pair);
    return entry == null ? null : entry.lastFailure;
  }

  /** The certificates being watched, with or without a responder. */
  Set<TlsKeyPair> tracked() {
    return Set.copyOf(tracked.keySet());
  }

  /** Stops fetching; handshakes staple nothing from now on. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        ignored -> {
          closed = true;
          vertx.cancelTimer(checkTimer);
          for (Tracked entry : tracked.values()) {
            vertx.cancelTimer(entry.timer);
          }
          tracked.clear();
          client.close().onComplete(closedClient -> done.complete());
        });
    return done.future();
  }

  /** Starts watching the certificates that appeared and forgets those that went. */
  private void check() {
    if (closed) {
      return;
    }
    List<CertificateSet> sets = served.get();
    if (sameSets(sets, lastSeen)) {
      return;
    }
    lastSeen = sets;
    Set<TlsKeyPair> wanted = new HashSet<>();
    for (CertificateSet set : sets) {
      wanted.add(set.defaultPair());
      wanted.addAll(set.entries().values());
    }
    for (Tracked entry : new ArrayList<>(tracked.values())) {
      if (!wanted.contains(entry.pair)) {
        vertx.cancelTimer(entry.timer);
        tracked.remove(entry.pair);
        LOG.debug(
            "event=ocsp_forgotten secret={} subject={}", secret(entry.pair), entry.pair.subject());
      }
    }
    for (TlsKeyPair pair : wanted) {
      if (!tracked.containsKey(pair)) {
        Tracked entry = new Tracked(pair, target(pair));
        tracked.put(pair, entry);
        if (entry.target != null) {
          fetch(entry);
        }
      }
    }
  }

  private static boolean sameSets(List<CertificateSet> a, List<CertificateSet> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable OcspTarget target(TlsKeyPair pair) {
    try {
      OcspTarget target = OcspTarget.of(pair).orElse(null);
      if (target == null) {
        LOG.debug("event=ocsp_no_responder secret={} subject={}", secret(pair), pair.subject());
      }
      return target;
    } catch (OcspException e) {
      LOG.warn(
          "event=ocsp_unavailable secret={} subject={} reason=\"{}\"",
          secret(pair),
          pair.subject(),
          e.getMessage());
      return null;
    }
  }

  private void fetch(Tracked entry) {
    OcspTarget target = requireNonNull(entry.target, "target");
    entry.timer = -1;
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(target.responder().toString())
            .setFollowRedirects(false)
            .setConnectTimeout(timing.timeout().toMillis())
            .setIdleTimeout(timing.timeout().toMillis())
            .setTimeout(timing.timeout().toMillis())
            .putHeader("Content-Type", "application/ocsp-request")
            .putHeader("Accept", "application/ocsp-response");
    Future<byte[]> body =
        allowedAddress(target.responder())
            .compose(
                address ->
                    client.request(
                        options.setServer(
                            SocketAddress.inetSocketAddress(
                                port(target.responder()), address.getHostAddress()))))
            .compose(request -> request.send(Buffer.buffer(target.request())))
            .compose(OcspStapler::body);
    body.compose(
            bytes -> context.executeBlocking(() -> target.check(bytes, clock.instant()), false))
        .onComplete(
            checked -> {
              if (closed || tracked.get(entry.pair) != entry) {
                return;
              }
              if (checked.succeeded()) {
                stapled(entry, target, checked.result());
              } else {
                failed(entry, target, checked.cause());
              }
            });
  }

  /**
   * The responder's address, when the address guard lets Portico reach it. The responder comes from
   * a tenant's certificate: link-local, cloud metadata, multicast and unspecified addresses are
   * refused, as for upstreams; loopback and Portico's own addresses are allowed, as for side
   * requests (a responder beside Portico). The connection goes to the address checked, so a name
   * that resolves differently a moment later cannot get around the check.
   */
  private Future<InetAddress> allowedAddress(URI responder) {
    String host = responder.getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return context
        .executeBlocking(() -> InetAddress.getByName(bare), false)
        .compose(
            address -> {
              String refusal = guard.refusal(address);
              if (refusal != null && !ALLOWED.contains(refusal)) {
                return Future.failedFuture(
                    new UpstreamAddressGuard.RefusedException(
                        "responder address " + address.getHostAddress() + " refused: " + refusal));
              }
              return Future.succeededFuture(address);
            });
  }

  private static int port(URI responder) {
    return responder.getPort() < 0 ? 80 : responder.getPort();
  }

  private void stapled(Tracked entry, OcspTarget target, OcspStaple staple) {
    Instant now = clock.instant();
    Instant validUntil = staple.nextUpdate().orElse(now.plus(timing.withoutNextUpdate()));
    boolean wasStapling = entry.current != null;
    entry.current = new Current(staple, validUntil.toEpochMilli());
    entry.lastFailure = null;
    entry.failures = 0;
    Duration refreshIn = timing.refreshIn(now, validUntil);
    if (wasStapling) {
      LOG.debug(
          "event=ocsp_refreshed secret={} subject={} next_update={} refresh_in={}",
          secret(entry.pair),
          entry.pair.subject(),
          staple.nextUpdate().map(Instant::toString).orElse("none"),
          refreshIn);
    } else {
      LOG.info(
          "event=ocsp_stapling secret={} subject={} responder={} next_update={} refresh_in={}",
          secret(entry.pair),
          entry.pair.subject(),
          target.responder(),
          staple.nextUpdate().map(Instant::toString).orElse("none"),
          refreshIn);
    }
    schedule(entry, refreshIn);
  }

  private void failed(Tracked entry, OcspTarget target, Throwable cause) {
    entry.failures++;
    entry.lastFailure = String.valueOf(cause.getMessage());
    Duration retryIn = timing.retryIn(entry.failures);
    if (cause instanceof OcspException refused) {
      // The responder's current word is not stapleable: stop stapling an older, good answer.
      entry.current = null;
      LOG.warn(
          "event=ocsp_response_refused secret={} subject={} responder={} reason=\"{}\" retry_in={}",
          secret(entry.pair),
          entry.pair.subject(),
          target.responder(),
          refused.getMessage(),
          retryIn);
    } else {
      LOG.warn(
          "event=ocsp_fetch_failed secret={} subject={} responder={} reason=\"{}\" stapling={}"
              + " retry_in={}",
          secret(entry.pair),
          entry.pair.subject(),
          target.responder(),
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
          stapling(entry.pair),
          retryIn);
    }
    schedule(entry, retryIn);
  }

  private void schedule(Tracked entry, Duration in) {
    entry.timer =
        vertx.setTimer(
            Math.max(1, in.toMillis()),
            id -> {
              if (!closed && tracked.get(entry.pair) == entry) {
                fetch(entry);
              }
            });
  }

  /** The answer's body, when it is a 200 of at most {@link #MAX_RESPONSE_BYTES}. */
  private static Future<byte[]> body(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      response.handler(chunk -> {});
      return Future.failedFuture(
          "responder answered HTTP " + response.statusCode() + " (expected: 200)");
    }
    Promise<byte[]> body = Promise.promise();
    Buffer received = Buffer.buffer();
    response.handler(
        chunk -> {
          if (received.length() + chunk.length() > MAX_RESPONSE_BYTES) {
            response.request().reset();
            body.tryFail("response larger than " + MAX_RESPONSE_BYTES + " bytes");
          } else {
            received.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(body::tryFail);
    response.endHandler(ignored -> body.tryComplete(received.getBytes()));
    return body.future();
  }

  private static String secret(TlsKeyPair pair) {
    return pair.source().orElse("none");
  }
}
