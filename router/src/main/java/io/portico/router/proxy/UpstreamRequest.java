package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.portico.router.address.ClientAddress;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.policy.HeaderTarget;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.Endpoint;
import io.portico.router.route.Route;
import io.portico.router.route.Upstream;
import io.portico.router.route.UpstreamSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What goes upstream for one client request, whichever transport carries it and however many
 * attempts it takes: the URI, the {@code Host}, the headers (end-to-end ones of the client's,
 * forwarded ones, then the route's policy changes), and what is known of the body.
 */
final class UpstreamRequest {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamRequest.class);

  private final HttpServerRequest request;
  // The authority the request is for (RequestChecks.authority), or null.
  private final @Nullable HostAndPort authority;
  private final ClientAddress clientAddress;
  private final ClientAddressRules clientRules;
  private final Upstream backend;
  private final Route route;
  private final UpstreamSettings settings;
  // What the route's policies changed, or null (most routes).
  private final @Nullable UpstreamChanges changes;
  private final boolean upgrade;
  private final boolean expect;
  private final boolean expectsContinue;
  private boolean hasBody;
  // How the attempts read the body, when there is one (set by ProxiedExchange).
  private @Nullable ClientBody body;

  /**
   * @param authority the authority the request is for (see {@link RequestChecks#authority}), or
   *     {@code null}
   * @param clientAddress the client as decided on arrival (see {@link RequestRecord#clientAddress})
   * @param clientRules the rules it was decided by
   */
  UpstreamRequest(
      HttpServerRequest request,
      @Nullable HostAndPort authority,
      ClientAddress clientAddress,
      ClientAddressRules clientRules,
      Upstream backend,
      Route route,
      UpstreamSettings settings,
      @Nullable UpstreamChanges changes) {
    this.request = request;
    this.authority = authority;
    this.clientAddress = clientAddress;
    this.clientRules = clientRules;
    this.backend = backend;
    this.route = route;
    this.settings = settings;
    this.changes = changes;
    MultiMap headers = request.headers();
    this.upgrade =
        request.version() != HttpVersion.HTTP_2 && HopByHopHeaders.isWebSocketUpgrade(headers);
    this.expect = headers.contains(HttpHeaderNames.EXPECT);
    this.hasBody = hasBody(request);
    this.expectsContinue =
        expect
            && hasBody
            && request.version() != HttpVersion.HTTP_1_0
            && headers.contains(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
  }

  /** The client's request. */
  HttpServerRequest client() {
    return request;
  }

  /** How the route talks to its backend. */
  UpstreamSettings settings() {
    return settings;
  }

  /**
   * Whether the backend's response head is larger than the route lets it be ({@code
   * proxy-buffer-size}), counted as it came on the wire: status line and header lines. Costs
   * nothing for a route that sets no limit.
   */
  boolean headTooLarge(int status, String reason, MultiMap headers) {
    int max = settings.maxResponseHeadBytes();
    if (max == 0) {
      return false;
    }
    // "HTTP/1.1 200 OK\r\n", each "name: value\r\n", the blank line.
    long size = 13 + (reason == null ? 0 : reason.length()) + 2;
    for (java.util.Map.Entry<String, String> header : headers) {
      size += header.getKey().length() + 2 + header.getValue().length() + 2;
    }
    return size > max;
  }

  /**
   * The failure of a response head over the route's limit, logged as a warning naming the route's
   * backend and the limit, since the operator must raise {@code proxy-buffer-size} or fix it.
   */
  ResponseHeadTooLargeException headTooLarge(Endpoint endpoint) {
    ResponseHeadTooLargeException cause =
        new ResponseHeadTooLargeException(settings.maxResponseHeadBytes());
    LOG.warn(
        "event=upstream_head_too_large backend={} endpoint={} limit={}",
        backend,
        endpoint,
        settings.maxResponseHeadBytes());
    return cause;
  }

  /** The route, for logs: the object it comes from, its host and its path. */
  String route() {
    return route.origin()
        + " "
        + route.host()
        + " "
        + route.path().typeName()
        + " "
        + route.path().rulePath();
  }

  /**
   * The name the TLS handshake with {@code endpoint} indicates (SNI), or {@code null} for none:
   * only when the route asks for SNI ({@code proxy-ssl-server-name}, a BackendTLSPolicy), its
   * {@code name}, else the host the backend is asked for.
   */
  @Nullable String serverName(Endpoint endpoint) {
    if (!settings.protocol().tls() || !settings.tls().serverName()) {
      return null;
    }
    String name = settings.tls().name();
    return name.isEmpty() ? authority(endpoint).host() : name;
  }

  /** The backend, for logs. */
  Upstream backend() {
    return backend;
  }

  /**
   * Whether the client asks for a WebSocket ({@code Upgrade: websocket} over HTTP/1.1); other
   * upgrades are not offered to the backend, which gets the request without {@code Upgrade}.
   */
  boolean upgrade() {
    return upgrade;
  }

  /**
   * Whether the client waits for {@code 100 Continue} before it sends its body. Portico answers the
   * expectation itself once the body has somewhere to go, and the backend gets no {@code Expect}.
   */
  boolean expectsContinue() {
    return expectsContinue;
  }

  boolean http2() {
    return request.version() == HttpVersion.HTTP_2;
  }

  /**
   * Whether the client sends a body: a non-zero Content-Length, chunked, or an open HTTP/2 stream.
   */
  boolean hasBody() {
    return hasBody;
  }

  /** An HTTP/2 request turned out to have no body: its stream ended with its headers. */
  void noBody() {
    hasBody = false;
  }

  /** The client's body as the attempts read it; {@code null} when there is none. */
  @Nullable ClientBody body() {
    return body;
  }

  /**
   * The client's body, for a request that has one ({@link #hasBody}) once {@link ProxiedExchange}
   * has set it.
   */
  ClientBody presentBody() {
    return requireNonNull(body, "body");
  }

  void body(@Nullable ClientBody clientBody) {
    body = clientBody;
  }

  /** The path and query to send. */
  String uri() {
    if (changes != null && changes.uri() != null) {
      return changes.uri();
    }
    return originForm(request);
  }

  /** The {@code Host} header's value for {@code endpoint}. */
  String host(Endpoint endpoint) {
    if (changes != null && changes.authority() != null) {
      return changes.authority();
    }
    return authority == null ? endpoint.address() : authority.toString();
  }

  /** The authority for Vert.x's client (which writes it as {@code Host}) for {@code endpoint}. */
  HostAndPort authority(Endpoint endpoint) {
    if (changes != null && changes.authority() != null) {
      HostAndPort parsed = HostAndPort.parseAuthority(changes.authority(), -1);
      if (parsed != null) {
        return parsed;
      }
    }
    return authority != null ? authority : HostAndPort.create(endpoint.host(), endpoint.port());
  }

  /**
   * Writes the request headers for the backend into {@code to}: the client's end-to-end ones, the
   * forwarded ones, then the policies' changes. {@code Host} is the caller's (see {@link #host}).
   */
  void writeHeaders(MultiMap to, ListenerContext listener) {
    HopByHopHeaders.copyRequestHeaders(request.headers(), to);
    if (expect) {
      // Portico answers the expectation itself (see ProxiedExchange#releaseRequest).
      to.remove(HttpHeaderNames.EXPECT);
    }
    ForwardedHeaders.apply(
        request,
        authority,
        clientAddress,
        clientAddress.viaTrustedProxy()
            ? listener.addresses().peer(request.remoteAddress()).text()
            : clientAddress.text(),
        clientRules,
        to,
        listener.tls());
    if (settings.addsHeaders()) {
      if (settings.protocol().http2()) {
        // gRPC servers require it; the client's own TE is hop-by-hop and was not copied.
        to.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      }
      if (!settings.connectionHeader().isEmpty()) {
        to.set(HttpHeaderNames.CONNECTION, settings.connectionHeader());
      }
    }
    if (changes != null) {
      changes.headers().applyTo(new MultiMapTarget(to));
    }
  }

  /** The path and query of a request in origin form: a request in absolute form is rewritten. */
  static String originForm(HttpServerRequest request) {
    String uri = request.uri();
    if (uri.startsWith("/")) {
      return uri;
    }
    String query = request.query();
    return query == null ? request.path() : request.path() + "?" + query;
  }

  /**
   * Whether {@code request} comes with a body: a non-zero Content-Length, chunked, or an HTTP/2
   * stream not ended with its headers (which may still turn out to have none).
   */
  static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null) {
      return !length.equals("0");
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
  }

  /** A Vert.x header map as the target of policy changes. */
  record MultiMapTarget(MultiMap headers) implements HeaderTarget {
    @Override
    public void set(String name, String value) {
      headers.set(name, value);
    }

    @Override
    public void add(String name, String value) {
      headers.add(name, value);
    }

    @Override
    public void remove(String name) {
      headers.remove(name);
    }
  }
}
