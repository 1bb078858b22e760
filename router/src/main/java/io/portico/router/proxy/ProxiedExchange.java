package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.portico.router.policy.MirrorPolicy;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.Endpoint;
import io.portico.router.route.RetryPolicy;
import io.portico.router.route.RouteTarget;
import io.portico.router.route.UpstreamSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request forwarded to its backend, and the one owner of its outcome: it drives {@link
 * UpstreamAttempt}s (retrying once elsewhere when that is safe), starts the client's response from
 * the backend's head, and answers with a {@link ProxyFailure} when no attempt succeeds. The
 * attempts carry bytes; every decision is made here. Runs entirely on the event loop of the
 * client's connection.
 */
final class ProxiedExchange implements UpstreamAttempt.Listener, ClientBody.Owner {

  private static final Logger LOG = LoggerFactory.getLogger(ProxiedExchange.class);
  // The Server header's value, as a cached AsciiString: Vert.x's header maps take it without a
  // conversion, on every response that names no server of its own.
  private static final AsciiString SERVER = AsciiString.cached("portico");

  private final ListenerContext listener;
  private final HttpServerRequest request;
  private final RequestRecord record;
  private final RouteTarget target;
  private final UpstreamRequest outbound;
  private final UpstreamSettings settings;
  // The copy for the route's mirror, or null (most requests).
  private final @Nullable MirrorCopy mirror;

  // Set by start(), which runs before anything else.
  @SuppressWarnings("NullAway.Init")
  private Placement placement;

  private @Nullable UpstreamAttempt attempt;
  // Attempts started, the first included.
  private int attempts;
  // When the first attempt started (nanoTime), for proxy-next-upstream-timeout.
  private long firstAttemptAt;
  // Whether a stale keep-alive connection was retried already (once per request, whatever policy).
  private boolean staleRetried;
  // The endpoints tried, made at the first retry only.
  private @Nullable List<Endpoint> tried;
  // Whether the client's request is held back (see start).
  private boolean paused;
  // Whether 100 Continue went to a client that expects it.
  private boolean continued;
  // The route's limits (RequestDeadlines) while they run: null for routes without them (most).
  private @Nullable ScheduledFuture<?> requestDeadline;
  private @Nullable ScheduledFuture<?> attemptDeadline;
  // The request's limit ran out and Portico answered: no attempt starts any more.
  private boolean expired;

  /**
   * @param record the request's record, with its route target set
   * @param changes what the route's policies changed in what goes upstream, or {@code null}
   */
  ProxiedExchange(
      ListenerContext listener,
      HttpServerRequest request,
      RequestRecord record,
      @Nullable UpstreamChanges changes) {
    this(listener, request, record, requireNonNull(record.target(), "target"), changes);
  }

  /**
   * @param target where this exchange sends the request (another than the record's for an error
   *     page); its route's settings apply, a canary's backend sharing its route's
   */
  ProxiedExchange(
      ListenerContext listener,
      HttpServerRequest request,
      RequestRecord record,
      RouteTarget target,
      @Nullable UpstreamChanges changes) {
    this(listener, request, record, target, target.route().upstream(), changes);
  }

  /**
   * @param settings how the request goes to {@code target}'s backend: its route's, or for an error
   *     page {@link UpstreamSettings#forErrorPage()} of them
   */
  ProxiedExchange(
      ListenerContext listener,
      HttpServerRequest request,
      RequestRecord record,
      RouteTarget target,
      UpstreamSettings settings,
      @Nullable UpstreamChanges changes) {
    this.listener = listener;
    this.request = request;
    this.record = record;
    this.target = target;
    this.settings = settings;
    this.outbound =
        new UpstreamRequest(
            request,
            record.authority(),
            record.clientAddress(),
            record.clientRules(),
            target.upstream(),
            target.route(),
            settings,
            changes);
    MirrorPolicy copy = changes == null ? null : changes.mirror();
    this.mirror = copy == null ? null : mirrorCopy(copy);
  }

  /** The copy of this request for the route's mirror, with the headers the backend gets. */
  private @Nullable MirrorCopy mirrorCopy(MirrorPolicy policy) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    outbound.writeHeaders(headers, listener);
    MirrorCopy copy = MirrorCopy.of(listener, target, policy, request, headers);
    if (copy != null) {
      record.mirror(copy);
    }
    return copy;
  }

  /**
   * Starts the first attempt of a request that sends no body (an error page's): the client's body,
   * if any, is no longer this exchange's.
   */
  void startWithoutBody(Placement placement) {
    this.placement = placement;
    outbound.noBody();
    record.onClientGone(
        () -> {
          if (attempt != null) {
            attempt.cancel();
          }
        });
    connect(requireNonNull(placement.endpoint(), "endpoint"));
  }

  /**
   * Starts the first attempt.
   *
   * @param pausedAlready whether the client's request was paused already (while a policy decided)
   */
  void start(Placement placement, boolean pausedAlready) {
    this.placement = placement;
    // Held back until the backend can take the body (an HTTP/2 request's, see below) or the tunnel
    // of an upgrade. An HTTP/1.x request without a body has nothing to hold back: pausing it only
    // built its inbound queue, on every keep-alive request.
    paused = outbound.hasBody() || outbound.http2() || outbound.upgrade();
    if (paused && !pausedAlready) {
      request.pause();
    } else if (!paused && pausedAlready) {
      request.resume();
    }
    // The client left before the response ended: the backend's work is of no use any more.
    record.onClientGone(this::cancel);
    long requestLimit = settings.deadlines().requestMillis();
    if (requestLimit > 0) {
      // Counted from the request's arrival, so the policies' time counts too.
      long left =
          TimeUnit.MILLISECONDS.toNanos(requestLimit) - (System.nanoTime() - record.startNanos());
      requestDeadline =
          listener
              .pool()
              .loop()
              .schedule(this::requestExpired, Math.max(0, left), TimeUnit.NANOSECONDS);
    }
    long maxBody = settings.maxBodyBytes();
    if (maxBody > 0 && outbound.hasBody() && declaredLength() > maxBody) {
      // Declared too large: refused before anything goes upstream, as nginx's client_max_body_size.
      LOG.debug("event=body_too_large backend={} limit={}", target.upstream(), maxBody);
      answer(ProxyFailure.BODY_TOO_LARGE);
      return;
    }
    if (outbound.hasBody()) {
      ClientBody body = listener.body(request, this, settings);
      if (mirror != null) {
        body.mirror(mirror);
      }
      outbound.body(body);
    }
    Endpoint endpoint = requireNonNull(placement.endpoint(), "endpoint");
    if (outbound.http2()
        && !outbound.expectsContinue()
        && !request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      // HTTP/2 marks a request without a body by END_STREAM on its HEADERS frame, which Vert.x
      // delivers as the request's end only after this handler. Wait for the first event, so that
      // a GET from a browser does not reach an HTTP/1.1 backend as a chunked request with a body.
      // (A client that waits for 100 Continue sends nothing before it: it has a body.)
      request.handler(
          chunk -> {
            request.pause();
            request.handler(null);
            request.endHandler(null);
            if (mirror != null) {
              mirror.start(true);
            }
            ClientBody body = outbound.presentBody();
            body.firstChunk(chunk);
            if (body.overLimit()) {
              answer(ProxyFailure.BODY_TOO_LARGE);
              return;
            }
            connect(endpoint);
          });
      request.endHandler(
          end -> {
            request.handler(null);
            outbound.noBody();
            outbound.presentBody().stopTimer();
            outbound.body(null);
            if (mirror != null) {
              mirror.start(false);
            }
            connect(endpoint);
          });
      outbound.presentBody().awaitFirstChunk();
      request.resume();
      return;
    }
    if (mirror != null) {
      mirror.start(outbound.hasBody());
    }
    connect(endpoint);
  }

  /** The request's Content-Length, or -1 when it has none (or one that is not a number). */
  private long declaredLength() {
    String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void connect(Endpoint endpoint) {
    if (expired) {
      // An HTTP/2 request's first body event, after its limit ran out: answered already.
      return;
    }
    if (attempts++ == 0) {
      firstAttemptAt = System.nanoTime();
    }
    record.upstreamStarted(endpoint);
    attempt = listener.attempt(outbound, endpoint, this);
    long attemptLimit = settings.deadlines().attemptMillis();
    if (attemptLimit > 0) {
      stopAttemptDeadline();
      attemptDeadline =
          listener
              .pool()
              .loop()
              .schedule(() -> attemptExpired(endpoint), attemptLimit, TimeUnit.MILLISECONDS);
    }
    try {
      attempt.start();
    } catch (RuntimeException e) {
      // A request that breaks an assumption of an attempt is answered, never left hanging.
      LOG.warn("event=request_failed backend={} cause={}", target.upstream(), e.toString());
      attempt.cancel();
      answer(ProxyFailure.INTERNAL);
    }
  }

  /** The client left, or its body stalled: the attempt and the body stop where they are. */
  private void cancel() {
    stopDeadlines();
    if (attempt != null) {
      attempt.cancel();
    }
    ClientBody body = outbound.body();
    if (body != null) {
      body.stopTimer();
    }
  }

  /**
   * Lets the client's request flow again, unless it has been read to its end already. A client that
   * waits for {@code 100 Continue} gets it now: its request passed every check, and its body has
   * somewhere to go (nginx answers the expectation the same way, and sends none upstream).
   */
  @Override
  public void releaseRequest() {
    if (outbound.expectsContinue()
        && !continued
        && outbound.hasBody()
        && !request.isEnded()
        && !request.response().headWritten()) {
      continued = true;
      request.response().writeContinue();
    }
    resumeClient();
  }

  private void resumeClient() {
    // Resuming a request that was never paused would build its inbound queue all the same.
    if (paused && !request.isEnded()) {
      request.resume();
    }
  }

  /**
   * The client stopped sending its body for longer than the client body timeout: the backend's copy
   * is cut off (its connection closes) and the client gets 408, or a reset once its response has
   * started; its connection closes either way.
   */
  @Override
  public void bodyTimedOut() {
    LOG.debug("event=client_body_timeout backend={}", target.upstream());
    if (attempt != null) {
      attempt.cancel();
    }
    HttpServerResponse response = request.response();
    if (response.ended()) {
      // The body was being dropped after the response: only the connection is left to close.
      if (!outbound.http2()) {
        request.connection().close();
      }
      return;
    }
    answer(ProxyFailure.CLIENT_BODY_TIMEOUT);
  }

  /**
   * The client's body grew past the route's limit ({@code proxy-body-size}) while it streamed: the
   * backend's copy is cut off mid-body (its connection closes, so it never sees the body whole),
   * and the client gets 413, or a reset once its response has started.
   */
  @Override
  public void bodyTooLarge() {
    LOG.debug(
        "event=body_too_large backend={} limit={}", target.upstream(), settings.maxBodyBytes());
    if (attempt != null) {
      attempt.cancel();
    }
    answer(ProxyFailure.BODY_TOO_LARGE);
  }

  /**
   * The backend took none of the request body for longer than the send timeout ({@code
   * proxy-send-timeout}): 504, as nginx answers, and never retried, since part of the body went.
   */
  @Override
  public void sendTimedOut() {
    LOG.debug("event=upstream_send_timeout backend={}", target.upstream());
    if (attempt != null) {
      attempt.cancel();
    }
    listener.observer().upstreamFailed(target, ProxyFailure.UPSTREAM_TIMEOUT);
    answer(ProxyFailure.UPSTREAM_TIMEOUT);
  }

  /**
   * After a failure: another attempt when the route's retry policy ({@code proxy-next-upstream})
   * asks for one and it is safe, else the failure.
   */
  @Override
  public void failed(Endpoint failed, ProxyFailure failure, Throwable cause) {
    stopAttemptDeadline();
    if (request.response().closed()) {
      return;
    }
    listener.observer().upstreamFailed(target, failure);
    if (ProxyFailure.isClosedBeforeResponse(cause)
        && !staleRetried
        && isIdempotent()
        && !outbound.hasBody()) {
      // A keep-alive connection the backend closed as it was reused: Portico's race, not the
      // backend's failure, tried again once on the same endpoint whatever the policy says.
      staleRetried = true;
      attempts--;
      retry(failed, cause);
      return;
    }
    RetryPolicy.Condition condition =
        failure == ProxyFailure.UPSTREAM_CONNECT_TIMEOUT || failure == ProxyFailure.UPSTREAM_TIMEOUT
            ? RetryPolicy.Condition.TIMEOUT
            : RetryPolicy.Condition.ERROR;
    if (failure != ProxyFailure.UPSTREAM_HEAD_TOO_LARGE
        && retryAllowed(condition, failure.beforeRequestSent())) {
      Endpoint next = nextEndpoint(failed, failure.beforeRequestSent());
      if (next != null) {
        retry(next, cause);
        return;
      }
    }
    LOG.debug(
        "event=upstream_failure backend={} failure={} cause={}",
        target.upstream(),
        failure,
        cause.toString());
    if (ErrorPage.intercepts(target, failure.status())) {
      stopDeadlines();
      dropClientBody();
      ErrorPage.send(listener, request, record, target, failure.status(), placement);
      return;
    }
    answer(failure);
  }

  /**
   * Whether the policy lets another attempt start after one failed on {@code condition}: the
   * condition is one it names, tries and time are left, and the request may be sent again (it never
   * reached the backend; or it is idempotent, or the policy says non_idempotent, and has no body,
   * which Portico streams rather than keeps).
   */
  private boolean retryAllowed(RetryPolicy.Condition condition, boolean beforeRequestSent) {
    RetryPolicy policy = settings.retry();
    if (!policy.on(condition) || !policy.allowsAnother(attempts)) {
      return false;
    }
    if (policy.timeoutMillis() > 0
        && System.nanoTime() - firstAttemptAt
            >= TimeUnit.MILLISECONDS.toNanos(policy.timeoutMillis())) {
      return false;
    }
    return beforeRequestSent
        || (!outbound.hasBody()
            && (isIdempotent() || policy.on(RetryPolicy.Condition.NON_IDEMPOTENT)));
  }

  /** An endpoint not tried yet, or {@code null}. */
  private @Nullable Endpoint nextEndpoint(@Nullable Endpoint failed, boolean connectFailure) {
    List<Endpoint> before = tried;
    if (before == null) {
      before = new ArrayList<>(4);
      tried = before;
    }
    if (failed != null && !before.contains(failed)) {
      before.add(failed);
    }
    Endpoint next = placement.retry(connectFailure);
    return next == null || before.contains(next) ? null : next;
  }

  private void retry(Endpoint next, Throwable cause) {
    listener.observer().upstreamRetried(target);
    LOG.debug("event=upstream_retry backend={} cause={}", target.upstream(), cause.toString());
    connect(next);
  }

  /**
   * The route's limit on the whole request ran out before a response started ({@code
   * timeouts.request}): the attempt in flight stops, and the client gets 504.
   */
  private void requestExpired() {
    requestDeadline = null;
    expired = true;
    LOG.debug(
        "event=request_timeout backend={} limit={}ms",
        target.upstream(),
        settings.deadlines().requestMillis());
    if (attempt != null) {
      attempt.cancel();
      listener.observer().upstreamFailed(target, ProxyFailure.UPSTREAM_TIMEOUT);
    }
    answer(ProxyFailure.UPSTREAM_TIMEOUT);
  }

  /**
   * The route's limit on one attempt ran out before its response head ({@code
   * timeouts.backendRequest}): a timeout of that attempt, retried as any other.
   */
  private void attemptExpired(Endpoint endpoint) {
    attemptDeadline = null;
    if (attempt != null) {
      attempt.cancel();
    }
    failed(
        endpoint,
        ProxyFailure.UPSTREAM_TIMEOUT,
        new TimeoutException(
            "no response head within " + settings.deadlines().attemptMillis() + "ms"));
  }

  private void stopAttemptDeadline() {
    if (attemptDeadline != null) {
      attemptDeadline.cancel(false);
      attemptDeadline = null;
    }
  }

  /** The response starts or Portico answers: the route's limits have nothing left to bound. */
  private void stopDeadlines() {
    if (requestDeadline != null) {
      requestDeadline.cancel(false);
      requestDeadline = null;
    }
    stopAttemptDeadline();
  }

  /** Portico answers instead of the backend; the body, if any, is dropped from now on. */
  private void answer(ProxyFailure failure) {
    stopDeadlines();
    dropClientBody();
    ClientBody body = outbound.body();
    if (body != null) {
      // The rest of the body is the answer's to close on (see LingeringClose), not a timeout's.
      body.stopTimer();
    }
    record.failed(failure);
    failure.send(request);
  }

  /** No more of the client's body goes to this exchange's backend; what still comes is dropped. */
  private void dropClientBody() {
    ClientBody body = outbound.body();
    if (body != null) {
      body.discard();
    }
    resumeClient();
  }

  /** Sets the client's response status and headers from the backend's; false if the client left. */
  @Override
  public boolean answered(int status, String reason, MultiMap headers) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return false;
    }
    // Retries first, as nginx tries the next upstream before error_page sees the last answer.
    if (settings.retry().onStatus(status) && retryOnStatus(status)) {
      return false;
    }
    record.upstreamAnswered();
    stopDeadlines();
    if (target.errorUpstream() != null && ErrorPage.intercepts(target, status)) {
      // The backend's answer is dropped, its connection with it, for the error backend's.
      dropClientBody();
      ErrorPage.send(listener, request, record, target, status, placement);
      return false;
    }
    response.setStatusCode(status);
    // A reason phrase of its own makes a new status object; backends mostly send the standard one.
    if (!Objects.equals(reason, response.getStatusMessage())) {
      response.setStatusMessage(reason);
    }
    HopByHopHeaders.copyResponseHeaders(headers, response.headers());
    placement.addCookie(request, response.headers(), listener.tls());
    if (!response.headers().contains(HttpHeaderNames.SERVER)) {
      response.headers().set(HttpHeaderNames.SERVER, SERVER);
    }
    // Framing follows what is sent: a Content-Length the backend named in Connection is gone.
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && mayHaveBody(status)
        && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
    return true;
  }

  /** The backend's response failed while it was relayed: the client's is cut short, never ended. */
  @Override
  public void aborted(Throwable cause) {
    LOG.debug("event=stream_aborted backend={} cause={}", target.upstream(), cause.toString());
    HttpServerResponse response = request.response();
    if (!response.ended() && !response.closed()) {
      response.reset();
    }
  }

  /** The backend agreed to a WebSocket upgrade: answer 101 and join the two connections. */
  @Override
  public void switchedProtocols(MultiMap headers, NetSocket backend) {
    stopDeadlines();
    HttpServerResponse response = request.response().setStatusCode(101);
    HopByHopHeaders.copyResponseHeaders(headers, response.headers());
    placement.addCookie(request, response.headers(), listener.tls());
    response.headers().set("connection", "Upgrade").set("upgrade", "websocket");
    record.switchedProtocols();
    request
        .toNetSocket()
        .onComplete(
            switched -> {
              // A tunnel is no longer a request: it stops counting once switched.
              placement.release();
              if (switched.failed()) {
                backend.close();
                tunnelClosed();
                return;
              }
              NetSocket client = switched.result();
              // What the request holds (a connection count) it holds until the tunnel closes.
              client.closeHandler(closed -> tunnelClosed());
              client.pipeTo(backend);
              backend.pipeTo(client);
            });
  }

  /**
   * The tunnel closed (or never opened): the request ends here. A connection turned into a tunnel
   * has no response end or close of its own to end the record, so the access log and the metrics
   * hear of it now, once, as 101.
   */
  private void tunnelClosed() {
    record.tunnelClosed();
    if (record.end(request.response())) {
      listener.observer().requestEnded(record);
    }
  }

  /**
   * A backend's 502, 503 or 504 that the policy retries ({@code http_502} and the like): a new
   * attempt starts when one is allowed, and this one's answer is dropped (the attempt closes its
   * connection). Returns whether a new attempt started.
   */
  private boolean retryOnStatus(int status) {
    RetryPolicy policy = settings.retry();
    if (!policy.allowsAnother(attempts)
        || outbound.hasBody()
        || !(isIdempotent() || policy.on(RetryPolicy.Condition.NON_IDEMPOTENT))) {
      return false;
    }
    if (policy.timeoutMillis() > 0
        && System.nanoTime() - firstAttemptAt
            >= TimeUnit.MILLISECONDS.toNanos(policy.timeoutMillis())) {
      return false;
    }
    Endpoint failed = placement.endpoint();
    Endpoint next = nextEndpoint(failed, false);
    if (next == null) {
      return false;
    }
    listener.observer().upstreamRetried(target);
    LOG.debug("event=upstream_retry backend={} status={}", target.upstream(), status);
    UpstreamAttempt answering = attempt;
    if (answering != null) {
      answering.cancel();
    }
    connect(next);
    return true;
  }

  private boolean isIdempotent() {
    HttpMethod method = request.method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  private boolean mayHaveBody(int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }
}
