package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.address.ClientAddress;
import io.portico.router.balance.StickyIndex;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.PolicyRequest;
import io.portico.router.route.RouteTarget;
import io.portico.tls.SniKeyManager;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** The client's request as the route's policies read it (see {@link PolicyRequest}). */
final class ServerPolicyRequest implements PolicyRequest {

  private final HttpServerRequest request;
  private final @Nullable HostAndPort authority;
  private final String path;
  private final ListenerContext listener;
  private final ClientAddress client;
  private final boolean forwardedRequest;
  private final RouteTarget target;

  /**
   * @param authority the authority the request is for (see {@link RequestChecks#authority}), or
   *     {@code null}
   * @param path the normalised path the route matched
   * @param client the client as decided on arrival (see {@link RequestRecord#clientAddress})
   * @param forwardedRequest whether a trusted proxy's {@code X-Forwarded-Proto} counts
   * @param target what the request matched
   */
  ServerPolicyRequest(
      HttpServerRequest request,
      @Nullable HostAndPort authority,
      String path,
      ListenerContext listener,
      ClientAddress client,
      boolean forwardedRequest,
      RouteTarget target) {
    this.client = client;
    this.forwardedRequest = forwardedRequest;
    this.request = request;
    this.authority = authority;
    this.path = path;
    this.listener = listener;
    this.target = target;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public @Nullable String host() {
    return authority == null ? null : authority.host();
  }

  @Override
  public @Nullable String authority() {
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.toString();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String pathAndQuery() {
    return UpstreamRequest.originForm(request);
  }

  @Override
  public @Nullable String query() {
    return request.query();
  }

  @Override
  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public List<String> headers(String name) {
    return request.headers().getAll(name);
  }

  @Override
  public Set<String> headerNames() {
    return request.headers().names();
  }

  @Override
  public ClientAddress client() {
    return client;
  }

  @Override
  public boolean requestedHttps() {
    if (forwardedRequest) {
      String proto = request.getHeader(ForwardedHeaders.PROTO);
      if (proto != null) {
        return proto.strip().equalsIgnoreCase("https");
      }
    }
    return listener.tls();
  }

  /** The first of the route's backends, its own first, whose session cookie the request carries. */
  @Override
  public int pinnedBackend() {
    for (int i = 0; i <= target.canaries().size(); i++) {
      StickyIndex sticky = requireNonNull(target.backend(i), "backend").upstream().sticky();
      if (sticky != null && AffinityCookies.find(request.headers(), sticky) != StickyIndex.NONE) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public ListenerFacts listener() {
    return listener.facts();
  }

  @Override
  public List<X509Certificate> clientCertificates() {
    if (!listener.tls()) {
      return List.of();
    }
    SSLSession session = request.connection().sslSession();
    if (session == null) {
      return List.of();
    }
    Certificate[] sent;
    try {
      sent = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      // The client sent none, or was not asked.
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>(sent.length);
    for (Certificate certificate : sent) {
      if (!(certificate instanceof X509Certificate x509)) {
        return List.of();
      }
      chain.add(x509);
    }
    return chain;
  }

  @Override
  public @Nullable String tlsServerName() {
    if (!listener.tls()) {
      return null;
    }
    HttpConnection connection = request.connection();
    String indicated = connection.indicatedServerName();
    return indicated != null
        ? indicated
        : SniKeyManager.requestedServerName(connection.sslSession());
  }
}
