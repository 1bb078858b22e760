package io.portico.router.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import io.portico.router.route.Endpoint;
import io.portico.router.route.RouteTarget;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http1xHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request forwarded to a backend: connect (retrying once elsewhere if the connection cannot be
 * made), send the request head, stream the body both ways with back-pressure, and map failures
 * through {@link ProxyFailure}. Runs entirely on the event loop of the client's connection.
 */
final class ProxiedExchange {

  private static final Logger LOG = LoggerFactory.getLogger(ProxiedExchange.class);
  // The Server header's value, as a cached AsciiString: Vert.x's header maps take it without a
  // conversion, on every response that names no server of its own.
  private static final AsciiString SERVER = AsciiString.cached("portico");

  private final HttpServerRequest request;
  private final RouteTarget target;
  private final HttpClient client;
  private final ProxySettings settings;
  private final boolean tls;
  private boolean hasBody;
  // HTTP/2 without Content-Length: the first body chunk, read before connecting (see start).
  private Buffer firstChunk;
  private boolean retried;
  // Whether start paused the client's request (see there).
  private boolean paused;
  private HttpClientRequest upstreamRequest;
  private Placement placement;
  private final RequestRecord record;
  private final TrafficObserver observer;
  private final AddressMemo addresses;
  // The event loop's own HTTP/1.1 connections, or null to use Vert.x's client for everything.
  private final UpstreamPool upstreams;
  // Whether this exchange goes through upstreams (see start), and its current attempt there.
  private boolean direct;
  private UpstreamExchange directAttempt;

  ProxiedExchange(
      HttpServerRequest request,
      RouteTarget target,
      HttpClient client,
      ProxySettings settings,
      boolean tls,
      RequestRecord record,
      TrafficObserver observer,
      AddressMemo addresses,
      UpstreamPool upstreams) {
    this.addresses = addresses;
    this.upstreams = upstreams;
    this.record = record;
    this.observer = observer;
    this.request = request;
    this.target = target;
    this.client = client;
    this.settings = settings;
    this.tls = tls;
    this.hasBody = hasBody(request);
  }

  void start(Placement placement) {
    this.placement = placement;
    // Held back until the backend can take the body (an HTTP/2 request's, see below) or the tunnel
    // of an upgrade. An HTTP/1.x request without a body has nothing to hold back: pausing it only
    // built its inbound queue, on every keep-alive request.
    boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
    paused = hasBody || request.version() == HttpVersion.HTTP_2 || upgrade;
    if (paused) {
      request.pause();
    }
    // Plain requests skip Vert.x's client; 100-continue and upgrades keep it (and HTTP/2 requests
    // with a body, see connect).
    direct =
        upstreams != null
            && !request.headers().contains(HttpHeaderNames.EXPECT)
            && !upgrade
            // The pool is confined to its event loop: a request on another thread keeps Vert.x.
            && upstreams.loop().inEventLoop();
    // The client left before the response ended: the backend's work is of no use any more.
    record.onClientGone(
        () -> {
          if (upstreamRequest != null) {
            upstreamRequest.reset();
          }
          if (directAttempt != null) {
            directAttempt.cancel();
          }
        });
    Endpoint endpoint = placement.endpoint();
    if (request.version() == HttpVersion.HTTP_2
        && !request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      // HTTP/2 marks a request without a body by END_STREAM on its HEADERS frame, which Vert.x
      // delivers as the request's end only after this handler. Wait for the first event, so that
      // a GET from a browser does not reach an HTTP/1.1 backend as a chunked request with a body.
      request.handler(
          chunk -> {
            request.pause();
            request.handler(null);
            request.endHandler(null);
            firstChunk = chunk;
            connect(endpoint);
          });
      request.endHandler(
          end -> {
            request.handler(null);
            hasBody = false;
            connect(endpoint);
          });
      request.resume();
      return;
    }
    connect(endpoint);
  }

  /** Lets the client's request flow again, unless it has been read to its end already. */
  void resumeRequest() {
    // Resuming a request that was never paused would build its inbound queue all the same.
    if (paused && !request.isEnded()) {
      request.resume();
    }
  }

  private void connect(Endpoint endpoint) {
    record.upstreamStarted(endpoint);
    // An HTTP/2 request's body may have begun with the chunk read before connecting (firstChunk),
    // which only the Vert.x path sends.
    if (direct
        && (!hasBody || request.version() != HttpVersion.HTTP_2)
        && upstreams.serves(endpoint)) {
      directAttempt =
          new UpstreamExchange(
              this,
              upstreams,
              endpoint,
              directRequest(endpoint),
              request,
              hasBody,
              settings.upstreamReadTimeout().toMillis());
      directAttempt.start();
      return;
    }
    RequestOptions options =
        new RequestOptions()
            .setServer(addresses.upstream(endpoint))
            .setMethod(request.method())
            .setURI(originForm(request))
            .setFollowRedirects(false);
    client
        .request(options)
        .onComplete(
            connected -> {
              if (connected.succeeded()) {
                send(connected.result(), endpoint);
              } else {
                retryOrFail(endpoint, ProxyFailure.ofConnect(connected.cause()), connected.cause());
              }
            });
  }

  /** An attempt through the event loop's own pool failed before the backend answered. */
  void upstreamFailed(Endpoint failed, ProxyFailure failure, Throwable cause) {
    retryOrFail(failed, failure, cause);
  }

  /**
   * The request to send through the event loop's own pool: whole when it has no body, else its
   * head, with the body to follow (chunked when the client gave no Content-Length).
   */
  private io.netty.handler.codec.http.HttpRequest directRequest(Endpoint endpoint) {
    Http1xHeaders headers = Http1xHeaders.httpHeaders();
    HopByHopHeaders.copyRequestHeaders(request.headers(), headers);
    ForwardedHeaders.apply(request, addresses.client(request.remoteAddress()), headers, tls);
    HostAndPort authority = request.authority();
    headers.set(
        HttpHeaderNames.HOST, authority == null ? endpoint.address() : authority.toString());
    io.netty.handler.codec.http.HttpMethod method =
        io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name());
    if (hasBody) {
      if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      return new DefaultHttpRequest(
          io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method, originForm(request), headers);
    }
    return new DefaultFullHttpRequest(
        io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        method,
        originForm(request),
        Unpooled.EMPTY_BUFFER,
        headers,
        EmptyHttpHeaders.INSTANCE);
  }

  /** After a failure: one more attempt on another endpoint when that is safe, else the failure. */
  private void retryOrFail(Endpoint failed, ProxyFailure failure, Throwable cause) {
    if (request.response().closed()) {
      return;
    }
    boolean safe =
        failure.beforeRequestSent()
            || (ProxyFailure.isClosedBeforeResponse(cause) && isIdempotent() && !hasBody);
    observer.upstreamFailed(target, failure);
    if (!retried && safe) {
      Endpoint other = placement.retry(failure.beforeRequestSent());
      Endpoint next = other != null ? other : (failure.beforeRequestSent() ? null : failed);
      if (next != null) {
        retried = true;
        observer.upstreamRetried(target);
        LOG.debug("event=upstream_retry backend={} cause={}", target.upstream(), cause.toString());
        connect(next);
        return;
      }
    }
    LOG.debug(
        "event=upstream_failure backend={} failure={} cause={}",
        target.upstream(),
        failure,
        cause.toString());
    resumeRequest();
    record.failed(failure);
    failure.send(request.response());
  }

  private void send(HttpClientRequest upstream, Endpoint endpoint) {
    this.upstreamRequest = upstream;
    upstream.exceptionHandler(
        cause -> LOG.debug("event=upstream_closed backend={} cause={}", target.upstream(), cause));
    MultiMap headers = request.headers();
    HopByHopHeaders.copyRequestHeaders(headers, upstream.headers());
    ForwardedHeaders.apply(
        request, addresses.client(request.remoteAddress()), upstream.headers(), tls);
    HostAndPort authority = request.authority();
    upstream.authority(
        authority != null ? authority : HostAndPort.create(endpoint.host(), endpoint.port()));

    if (HopByHopHeaders.isWebSocketUpgrade(headers) && request.version() != HttpVersion.HTTP_2) {
      armReadTimeout(upstream);
      upgrade(upstream, endpoint);
      return;
    }
    if (headers.contains(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true)) {
      upstream.continueHandler(v -> request.response().writeContinue());
    }
    Future<HttpClientResponse> response;
    if (hasBody) {
      if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        upstream.setChunked(true);
      }
      if (firstChunk != null) {
        upstream.write(firstChunk);
      }
      response = upstream.send(new EndSignallingStream(request, () -> armReadTimeout(upstream)));
    } else {
      armReadTimeout(upstream);
      resumeRequest();
      response = upstream.send();
    }
    response.onComplete(
        answered -> {
          if (answered.succeeded()) {
            relay(answered.result());
          } else {
            retryOrFail(endpoint, ProxyFailure.ofExchange(answered.cause()), answered.cause());
          }
        });
  }

  /** From now on, the backend's silence longer than the read timeout fails the request (504). */
  private void armReadTimeout(HttpClientRequest upstream) {
    upstream.idleTimeout(settings.upstreamReadTimeout().toMillis());
  }

  /** Streams the backend's response to the client. */
  private void relay(HttpClientResponse upstream) {
    if (!respond(upstream.statusCode(), upstream.statusMessage(), upstream.headers())) {
      upstreamRequest.reset();
      return;
    }
    String length = upstream.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    new ResponseRelay(upstream, request.response(), contentLength(length), this::streamAborted)
        .start();
  }

  /**
   * Starts the client's response from the head of a backend's response that came through the event
   * loop's own pool; false when the client has gone.
   */
  boolean respond(HttpResponse upstream) {
    // The adaptor is one small object, and HopByHopHeaders reads the Netty map inside it. Having
    // the
    // pool's decoder build Vert.x's own header maps instead (a MultiMap already) measured 0.84-1.03
    // of this, 0.95 on average over four alternated pairs: they validate every header on the way
    // in.
    return respond(
        upstream.status().code(),
        upstream.status().reasonPhrase(),
        new HeadersAdaptor(upstream.headers()));
  }

  /** Sets the client's response status and headers from the backend's; false if the client left. */
  private boolean respond(int status, String reason, MultiMap headers) {
    record.upstreamAnswered();
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return false;
    }
    response.setStatusCode(status);
    // A reason phrase of its own makes a new status object; backends mostly send the standard one.
    if (!Objects.equals(reason, response.getStatusMessage())) {
      response.setStatusMessage(reason);
    }
    HopByHopHeaders.copyResponseHeaders(headers, response.headers());
    placement.addCookie(request, response.headers(), tls);
    if (!response.headers().contains(HttpHeaderNames.SERVER)) {
      response.headers().set(HttpHeaderNames.SERVER, SERVER);
    }
    if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)
        && mayHaveBody(status)
        && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
    return true;
  }

  /** The backend's response failed while it was being relayed. */
  void streamAborted(Throwable cause) {
    LOG.debug("event=stream_aborted backend={} cause={}", target.upstream(), cause.toString());
    if (upstreamRequest != null) {
      upstreamRequest.reset();
    }
    HttpServerResponse response = request.response();
    if (!response.ended() && !response.closed()) {
      response.reset();
    }
  }

  /** A WebSocket upgrade: once the backend agrees (101), the two connections become one pipe. */
  private void upgrade(HttpClientRequest upstream, Endpoint endpoint) {
    upstream.putHeader("connection", "Upgrade");
    upstream.putHeader("upgrade", request.getHeader("upgrade"));
    upstream
        .connect()
        .onComplete(
            answered -> {
              if (answered.failed()) {
                retryOrFail(endpoint, ProxyFailure.ofExchange(answered.cause()), answered.cause());
                return;
              }
              HttpClientResponse backendAnswer = answered.result();
              if (backendAnswer.statusCode() != 101) {
                resumeRequest();
                relay(backendAnswer);
                return;
              }
              NetSocket backend = backendAnswer.netSocket();
              HttpServerResponse response = request.response().setStatusCode(101);
              HopByHopHeaders.copyResponseHeaders(backendAnswer.headers(), response.headers());
              placement.addCookie(request, response.headers(), tls);
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
                          return;
                        }
                        NetSocket client = switched.result();
                        client.pipeTo(backend);
                        backend.pipeTo(client);
                      });
            });
  }

  private boolean isIdempotent() {
    HttpMethod method = request.method();
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  private boolean mayHaveBody(int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /**
   * Whether the client sends a body: a non-zero Content-Length, chunked, or an open HTTP/2 stream.
   */
  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null) {
      return !length.equals("0");
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
  }

  /** A Content-Length the HTTP decoder accepted, as a number; -1 when absent. */
  private static long contentLength(String length) {
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The path and query to send: a request in absolute form is forwarded in origin form. */
  private static String originForm(HttpServerRequest request) {
    String uri = request.uri();
    if (uri.startsWith("/")) {
      return uri;
    }
    String query = request.query();
    return query == null ? request.path() : request.path() + "?" + query;
  }
}
