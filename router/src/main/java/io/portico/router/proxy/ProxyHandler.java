package io.portico.router.proxy;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTarget;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;

/**
 * The request handler of a listener, where the request pipeline starts: reads the live
 * configuration once, matches the request to a route, runs the route's policies (a {@link
 * PolicyStage}, for the routes that have any), places it on an endpoint ({@link Placement}) and
 * hands it to a {@link ProxiedExchange}, or answers with a {@link ProxyFailure}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private final LiveConfig config;
  private final ListenerContext listener;

  ProxyHandler(LiveConfig config, ListenerContext listener) {
    this.config = config;
    this.listener = listener;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RoutingConfig current = config.current();
    RequestRecord record = new RequestRecord(request, listener.tls());
    HttpServerResponse response = request.response();
    // Vert.x may call either or both when a client leaves early; the record closes once.
    response.endHandler(ended -> finish(record, response));
    response.closeHandler(closed -> finish(record, response));
    String path = RequestPaths.normalize(request.path());
    if (path == null) {
      answer(record, response, ProxyFailure.BAD_REQUEST);
      return;
    }
    HostAndPort authority = request.authority();
    String host = HostnamePattern.normalizeRequestHost(authority == null ? null : authority.host());
    RouteTable routes = current.routes();
    ListenerKey key = listener.key();
    RouteTarget target =
        routes.hasListenerRoutes(key)
            ? routes.match(key, host, path, new ServerRequestAttributes(request))
            : key.servesIngress() ? routes.match(host, path) : null;
    if (target == null) {
      answer(record, response, ProxyFailure.NO_ROUTE);
      return;
    }
    record.target(target);
    RoutePolicies policies = target.route().policies();
    if (policies != RoutePolicies.NONE) {
      new PolicyStage(this, listener, request, path, record, policies).start();
      return;
    }
    forward(request, record, null, false);
  }

  /**
   * Sends a matched request upstream, once its route's policies (if any) let it go on.
   *
   * @param changes what the policies changed in what goes upstream, or {@code null}
   * @param paused whether the request was paused while a policy decided
   */
  void forward(
      HttpServerRequest request, RequestRecord record, UpstreamChanges changes, boolean paused) {
    Placement placement = Placement.of(request, record.target());
    if (placement.endpoint() == null) {
      if (paused) {
        request.resume();
      }
      answer(record, request.response(), ProxyFailure.NO_ENDPOINT);
      return;
    }
    record.placement(placement);
    new ProxiedExchange(listener, request, record, changes).start(placement, paused);
  }

  private static void answer(
      RequestRecord record, HttpServerResponse response, ProxyFailure failure) {
    record.failed(failure);
    failure.send(response);
  }

  private void finish(RequestRecord record, HttpServerResponse response) {
    if (record.end(response)) {
      listener.observer().requestEnded(record);
    }
  }
}
