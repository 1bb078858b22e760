package io.portico.router.proxy;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RouteTarget;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * The request handler of a listener: reads the live configuration once, matches the request,
 * applies the rule's {@link HttpsRules}, and hands it to a {@link ProxiedExchange} or answers with
 * a {@link ProxyFailure}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private final LiveConfig config;
  private final HttpClient client;
  private final ProxySettings settings;
  private final boolean tls;
  private final HttpsRules https;

  ProxyHandler(
      LiveConfig config, HttpClient client, ProxySettings settings, boolean tls, HttpsRules https) {
    this.config = config;
    this.client = client;
    this.settings = settings;
    this.tls = tls;
    this.https = https;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RoutingConfig current = config.current();
    String path = RequestPaths.normalize(request.path());
    if (path == null) {
      ProxyFailure.BAD_REQUEST.send(request.response());
      return;
    }
    HostAndPort authority = request.authority();
    String host = HostnamePattern.normalizeRequestHost(authority == null ? null : authority.host());
    RouteTarget target = current.routes().match(host, path);
    if (target == null) {
      ProxyFailure.NO_ROUTE.send(request.response());
      return;
    }
    if (https.answered(request, path, target.route())) {
      return;
    }
    Placement placement = Placement.of(request, target);
    if (placement.endpoint() == null) {
      ProxyFailure.NO_ENDPOINT.send(request.response());
      return;
    }
    new ProxiedExchange(request, target, client, settings, tls).start(placement);
  }
}
