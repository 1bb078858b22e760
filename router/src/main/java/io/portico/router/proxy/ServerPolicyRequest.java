package io.portico.router.proxy;

import io.portico.router.address.ClientAddress;
import io.portico.router.policy.ListenerFacts;
import io.portico.router.policy.PolicyRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The client's request as the route's policies read it (see {@link PolicyRequest}). */
final class ServerPolicyRequest implements PolicyRequest {

  private final HttpServerRequest request;
  private final @Nullable HostAndPort authority;
  private final String path;
  private final ListenerContext listener;
  private final ClientAddress client;
  private final boolean forwardedRequest;

  /**
   * @param authority the authority the request is for (see {@link RequestChecks#authority}), or
   *     {@code null}
   * @param path the normalised path the route matched
   * @param client the client as decided on arrival (see {@link RequestRecord#clientAddress})
   * @param forwardedRequest whether a trusted proxy's {@code X-Forwarded-Proto} counts
   */
  ServerPolicyRequest(
      HttpServerRequest request,
      @Nullable HostAndPort authority,
      String path,
      ListenerContext listener,
      ClientAddress client,
      boolean forwardedRequest) {
    this.client = client;
    this.forwardedRequest = forwardedRequest;
    this.request = request;
    this.authority = authority;
    this.path = path;
    this.listener = listener;
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

  @Override
  public ListenerFacts listener() {
    return listener.facts();
  }
}
