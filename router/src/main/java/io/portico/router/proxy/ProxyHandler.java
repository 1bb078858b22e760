package io.portico.router.proxy;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RouteTarget;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
  private final TrafficObserver observer;
  private final UpstreamPool upstreams;
  // Confined to this handler's event loop, like everything a request touches.
  private final AddressMemo addresses = new AddressMemo();

  ProxyHandler(
      LiveConfig config,
      HttpClient client,
      ProxySettings settings,
      boolean tls,
      HttpsRules https,
      TrafficObserver observer,
      UpstreamPool upstreams) {
    this.upstreams = upstreams;
    this.config = config;
    this.client = client;
    this.settings = settings;
    this.tls = tls;
    this.https = https;
    this.observer = observer;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RoutingConfig current = config.current();
    RequestRecord record = new RequestRecord(request, tls);
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
    RouteTarget target = current.routes().match(host, path);
    if (target == null) {
      answer(record, response, ProxyFailure.NO_ROUTE);
      return;
    }
    record.target(target);
    if (https.answered(request, path, target.route())) {
      return;
    }
    Placement placement = Placement.of(request, target);
    if (placement.endpoint() == null) {
      answer(record, response, ProxyFailure.NO_ENDPOINT);
      return;
    }
    record.placement(placement);
    new ProxiedExchange(
            request, target, client, settings, tls, record, observer, addresses, upstreams)
        .start(placement);
  }

  private static void answer(
      RequestRecord record, HttpServerResponse response, ProxyFailure failure) {
    record.failed(failure);
    failure.send(response);
  }

  private void finish(RequestRecord record, HttpServerResponse response) {
    if (record.end(response)) {
      observer.requestEnded(record);
    }
  }
}
