package io.portico.router.proxy;

import static java.util.Objects.requireNonNull;

import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.UpstreamChanges;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.RequestPaths;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTarget;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handler of a listener, where the request pipeline starts: reads the live
 * configuration once, matches the request to a route, runs the route's policies (a {@link
 * PolicyStage}, for the routes that have any), places it on an endpoint ({@link Placement}) and
 * hands it to a {@link ProxiedExchange}, or answers with a {@link ProxyFailure}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  private final LiveConfig config;
  private final ListenerContext listener;

  ProxyHandler(LiveConfig config, ListenerContext listener) {
    this.config = config;
    this.listener = listener;
  }

  @Override
  public void handle(HttpServerRequest request) {
    RoutingConfig current = config.current();
    ClientAddressRules rules = current.clientAddresses();
    RequestRecord record =
        new RequestRecord(request, listener.tls(), listener.client(request, rules), rules);
    HttpServerResponse response = request.response();
    // Vert.x may call either or both when a client leaves early; the record closes once.
    response.endHandler(ended -> finish(record, response));
    response.closeHandler(closed -> finish(record, response));
    try {
      route(request, record, current);
    } catch (RuntimeException e) {
      // A request that breaks an assumption of the code below is answered, never left hanging.
      LOG.warn("event=request_failed method={} cause={}", request.method().name(), e.toString());
      answer(record, request, ProxyFailure.INTERNAL);
    }
  }

  private void route(HttpServerRequest request, RequestRecord record, RoutingConfig current) {
    ProxyFailure refused = RequestChecks.refusedMethod(request.method());
    if (refused != null) {
      answer(record, request, refused);
      return;
    }
    HostAndPort authority = RequestChecks.authority(request);
    if (authority == RequestChecks.INVALID_AUTHORITY) {
      answer(record, request, ProxyFailure.BAD_HOST);
      return;
    }
    record.authority(authority);
    String path = RequestPaths.normalizeRequest(request.path(), listener.allowEncodedSlashes());
    if (path == null || RequestChecks.hasUnsafeQuery(request.uri())) {
      answer(record, request, ProxyFailure.BAD_REQUEST);
      return;
    }
    String host = HostnamePattern.normalizeRequestHost(authority == null ? null : authority.host());
    RouteTable routes = current.routes();
    ListenerKey key = listener.key();
    RouteTarget target =
        routes.hasListenerRoutes(key)
            ? routes.match(key, host, path, new ServerRequestAttributes(request))
            : key.servesIngress() ? routes.match(host, path) : null;
    if (target == null) {
      answer(record, request, ProxyFailure.NO_ROUTE);
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
      HttpServerRequest request,
      RequestRecord record,
      @Nullable UpstreamChanges changes,
      boolean paused) {
    RouteTarget matched = requireNonNull(record.target(), "target");
    if (changes != null && changes.backend() != 0) {
      // A canary serves: the record names it, for the metrics and the access log.
      // PolicyStage answered already when the route has no such backend.
      matched = requireNonNull(matched.backend(changes.backend()), "backend");
      record.target(matched);
    }
    Placement placement = Placement.of(request, matched);
    if (placement.endpoint() == null) {
      if (ErrorPage.intercepts(record.target(), ProxyFailure.NO_ENDPOINT.status())) {
        ErrorPage.dropBody(request);
        ErrorPage.send(
            listener, request, record, record.target(), ProxyFailure.NO_ENDPOINT.status(), null);
        return;
      }
      if (paused) {
        request.resume();
      }
      answer(record, request, ProxyFailure.NO_ENDPOINT);
      return;
    }
    record.placement(placement);
    new ProxiedExchange(listener, request, record, changes).start(placement, paused);
  }

  private static void answer(
      RequestRecord record, HttpServerRequest request, ProxyFailure failure) {
    record.failed(failure);
    failure.send(request);
  }

  private void finish(RequestRecord record, HttpServerResponse response) {
    if (record.end(response)) {
      listener.observer().requestEnded(record);
      HttpServerRequest request = record.request();
      if (response.ended() && request.version() == HttpVersion.HTTP_2 && !request.isEnded()) {
        // Complete before the request: the rest of its body would only be read and dropped, so
        // the client is asked to stop sending it (RST_STREAM NO_ERROR, RFC 9113, section 8.1).
        // A request without a body (END_STREAM on its HEADERS) is ended only after the handler
        // that answered it has returned, so the question is asked again once it has: a GET
        // answered at once is not reset, which some clients (Vert.x's, grpc-java) read as a
        // failure instead of the answer.
        Context context = Vertx.currentContext();
        if (context == null) {
          response.reset(0);
        } else {
          context.runOnContext(
              later -> {
                if (!request.isEnded()) {
                  response.reset(0);
                }
              });
        }
      }
    }
  }
}
