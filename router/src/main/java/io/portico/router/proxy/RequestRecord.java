package io.portico.router.proxy;

import io.portico.router.address.ClientAddress;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.route.Endpoint;
import io.portico.router.route.RouteTarget;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one request, filled in by the proxy as it goes and handed to the {@link
 * TrafficObserver} when the request is over. It lives on one event loop; nothing in it is
 * synchronised.
 */
public final class RequestRecord {

  /** The status recorded for a request whose client went away before the response ended. */
  public static final int CLIENT_CLOSED = 499;

  private final HttpServerRequest request;
  private final long startNanos;
  private final boolean tls;
  private final ClientAddress client;
  private final ClientAddressRules clientRules;
  private @Nullable HostAndPort authority;
  private @Nullable RouteTarget target;
  private @Nullable Endpoint endpoint;
  private long upstreamStartNanos;
  private long upstreamHeadNanos;
  private @Nullable ProxyFailure failure;
  private @Nullable Placement placement;
  private @Nullable MirrorCopy mirror;
  private int status;
  private long bytesSent;
  private long endNanos;
  private boolean ended;
  private @Nullable Runnable onClientGone;
  private @Nullable Runnable onEnd;
  private boolean switched;

  /**
   * @param client the client as decided on arrival
   * @param clientRules the rules it was decided by, which also shape the forwarded headers
   */
  RequestRecord(
      HttpServerRequest request,
      boolean tls,
      ClientAddress client,
      ClientAddressRules clientRules) {
    this.request = request;
    // One clock read per arrival: the wall-clock start, which only the access log wants, is
    // derived from it when asked for (see startMillis).
    this.startNanos = System.nanoTime();
    this.tls = tls;
    this.client = client;
    this.clientRules = clientRules;
  }

  /** The rules {@link #clientAddress()} was decided by. */
  ClientAddressRules clientRules() {
    return clientRules;
  }

  /** The authority the request is for, once checked (see {@link RequestChecks#authority}). */
  void authority(@Nullable HostAndPort checked) {
    this.authority = checked;
  }

  @Nullable HostAndPort authority() {
    return authority;
  }

  /** The request this record is about. */
  HttpServerRequest request() {
    return request;
  }

  void target(RouteTarget routeTarget) {
    this.target = routeTarget;
  }

  void placement(Placement requestPlacement) {
    this.placement = requestPlacement;
  }

  /** The request's copy for its route's mirror, given up if still waiting when the record ends. */
  void mirror(MirrorCopy copy) {
    this.mirror = copy;
  }

  void upstreamStarted(Endpoint attempted) {
    this.endpoint = attempted;
    this.upstreamStartNanos = System.nanoTime();
    this.upstreamHeadNanos = 0;
  }

  void upstreamAnswered() {
    this.upstreamHeadNanos = System.nanoTime();
  }

  /** What to cancel when the client leaves before the response ended. */
  void onClientGone(Runnable cancel) {
    this.onClientGone = cancel;
  }

  /**
   * What to run when the record closes, however the request ends (see {@link
   * io.portico.router.policy.PolicyExchange#onEnd}); runs at once when it closed already.
   */
  void onEnd(Runnable release) {
    if (ended) {
      release.run();
      return;
    }
    Runnable before = onEnd;
    onEnd =
        before == null
            ? release
            : () -> {
              before.run();
              release.run();
            };
  }

  /**
   * The tunnel of a switched request closed (or never opened): what was to run at the end of the
   * request runs now, if it has not. A tunnel's request holds what it holds (a connection count)
   * for as long as the tunnel is open, as nginx keeps an upgraded request until its connection
   * closes.
   */
  void tunnelClosed() {
    runOnEnd();
  }

  private void runOnEnd() {
    Runnable release = onEnd;
    if (release != null) {
      onEnd = null;
      release.run();
    }
  }

  /**
   * The connection became a tunnel (a WebSocket): the request is over with 101, and the end of the
   * tunnel later is not a client leaving a request.
   */
  void switchedProtocols() {
    this.switched = true;
    this.onClientGone = null;
  }

  void failed(ProxyFailure answer) {
    this.failure = answer;
  }

  /** Closes the record once; returns false when it was closed already. */
  boolean end(HttpServerResponse response) {
    if (ended) {
      return false;
    }
    ended = true;
    endNanos = System.nanoTime();
    status = switched ? 101 : response.ended() ? response.getStatusCode() : CLIENT_CLOSED;
    if (status == CLIENT_CLOSED && onClientGone != null) {
      onClientGone.run();
    }
    bytesSent = response.bytesWritten();
    if (placement != null) {
      placement.release();
    }
    if (mirror != null) {
      mirror.abandon();
    }
    if (!switched) {
      // A tunnel's end is its connection's close (see tunnelClosed), not its response's.
      runOnEnd();
    }
    return true;
  }

  /**
   * Wall-clock time the request arrived, in milliseconds since the epoch: the wall clock now, less
   * the time since the arrival. Asked for while the record is valid (during {@link
   * TrafficObserver#requestEnded}), it is the arrival time to within a millisecond.
   */
  public long startMillis() {
    long sinceStart = (ended ? endNanos : System.nanoTime()) - startNanos;
    return System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(sinceStart);
  }

  /** When the request arrived ({@link System#nanoTime}). */
  long startNanos() {
    return startNanos;
  }

  /** From arrival to the end of the response (or the client's departure). */
  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** The route that matched, or {@code null} when none did. */
  public @Nullable RouteTarget target() {
    return target;
  }

  /** The endpoint of the last attempt, or {@code null} when no backend was tried. */
  public @Nullable Endpoint endpoint() {
    return endpoint;
  }

  /** From the last attempt's start to the backend's response head; -1 when there was none. */
  public long upstreamNanos() {
    return upstreamHeadNanos == 0 ? -1 : upstreamHeadNanos - upstreamStartNanos;
  }

  /** Portico's own answer when it answered instead of a backend, else {@code null}. */
  public @Nullable ProxyFailure failure() {
    return failure;
  }

  /** The status sent, or {@link #CLIENT_CLOSED}. */
  public int status() {
    return status;
  }

  /** Bytes of the response sent to the client, head included. */
  public long bytesSent() {
    return bytesSent;
  }

  public boolean tls() {
    return tls;
  }

  public HttpMethod method() {
    return request.method();
  }

  public HttpVersion version() {
    return request.version();
  }

  /** The request path as the client sent it, without the query. */
  public String path() {
    return request.path();
  }

  /** The query string, or {@code null}. */
  public @Nullable String query() {
    return request.query();
  }

  /**
   * The host the client asked for (without the port): that of an absolute-form target, else of
   * {@code Host}; {@code null} when there is none or it was refused before it was checked.
   */
  public @Nullable String host() {
    return authority == null ? null : authority.host();
  }

  /**
   * The client's address as text, or {@code null} when the connection has none: the one access
   * decisions used (see {@link #clientAddress()}).
   */
  public @Nullable String client() {
    return client.text();
  }

  /** The client as Portico decided it on arrival: the peer, or what a trusted proxy forwarded. */
  public ClientAddress clientAddress() {
    return client;
  }
}
