package io.portico.controller.metrics;

import io.netty.util.concurrent.FastThreadLocal;
import io.portico.router.proxy.MirrorOutcome;
import io.portico.router.proxy.ProxyFailure;
import io.portico.router.proxy.RequestRecord;
import io.portico.router.proxy.TrafficObserver;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTarget;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic metrics, recorded on the event loops without locks ({@link LongAdder}s found through
 * concurrent maps, which read without locking) and rendered in the Prometheus text format.
 *
 * <p>A request is counted under the Service that served it: a route's own, or one of its canaries.
 *
 * <p>Every label value comes from configured objects (namespace, Ingress, Service) or from a closed
 * set (method, status class, listener, error kind), never from request data such as the host or
 * path, so the number of series stays bounded by the configuration.
 */
public final class TrafficMetrics implements TrafficObserver {

  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "other"
  };
  private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  /** The labels of a route: where a request went. Empty strings when no rule matched. */
  private record RouteLabels(String namespace, String ingress, String service) {}

  /** The labels of a backend: a Service. */
  private record ServiceLabels(String namespace, String service) {}

  private static final class RouteMeters {
    final LongAdder[][] requests = new LongAdder[METHODS.length][CODE_CLASSES.length];
    final LatencyHistogram duration = new LatencyHistogram();

    RouteMeters() {
      for (LongAdder[] row : requests) {
        for (int i = 0; i < row.length; i++) {
          row[i] = new LongAdder();
        }
      }
    }
  }

  private static final class ServiceMeters {
    final LatencyHistogram upstream = new LatencyHistogram();
    final LongAdder connectErrors = new LongAdder();
    final LongAdder timeoutErrors = new LongAdder();
    final LongAdder resetErrors = new LongAdder();
    final LongAdder retries = new LongAdder();
  }

  /** The meters of one route target, found through the label maps. */
  private record TargetMeters(RouteTarget target, RouteMeters route, ServiceMeters service) {}

  private static final RouteLabels NO_ROUTE = new RouteLabels("", "", "");

  private final Map<RouteLabels, RouteMeters> routes = new ConcurrentHashMap<>();
  private final Map<ServiceLabels, ServiceMeters> services = new ConcurrentHashMap<>();
  // Copies for mirrors, by the Ingress of the route and what became of them.
  private final Map<RouteOrigin, LongAdder[]> mirrors = new ConcurrentHashMap<>();
  private final LongAdder httpConnections = new LongAdder();
  private final LongAdder httpsConnections = new LongAdder();
  private final LongAdder handshakesOk = new LongAdder();
  private final LongAdder handshakesFailed = new LongAdder();
  // The meters of the route target each event loop saw last, by identity: targets live as long as
  // their configuration, so most requests skip building label records and two map look-ups. Per
  // thread, so that event loops serving different routes do not write one shared field.
  private final FastThreadLocal<TargetMeters> lastTarget = new FastThreadLocal<>();

  @Override
  public void requestEnded(RequestRecord record) {
    RouteTarget target = record.target();
    TargetMeters found = target == null ? null : metersOf(target);
    RouteMeters meters =
        found == null ? routes.computeIfAbsent(NO_ROUTE, l -> new RouteMeters()) : found.route();
    int status = record.status();
    int codeClass = status >= 100 && status < 600 ? status / 100 - 1 : 3;
    meters.requests[methodIndex(record.method())][codeClass].increment();
    meters.duration.record(record.durationNanos());
    long upstream = record.upstreamNanos();
    if (found != null && upstream >= 0) {
      found.service().upstream.record(upstream);
    }
  }

  private TargetMeters metersOf(RouteTarget target) {
    TargetMeters last = lastTarget.get();
    if (last != null && last.target() == target) {
      return last;
    }
    TargetMeters found =
        new TargetMeters(
            target,
            routes.computeIfAbsent(routeLabels(target), l -> new RouteMeters()),
            serviceMeters(target));
    lastTarget.set(found);
    return found;
  }

  @Override
  public void upstreamFailed(RouteTarget target, ProxyFailure failure) {
    ServiceMeters meters = serviceMeters(target);
    switch (failure) {
      case UPSTREAM_CONNECT -> meters.connectErrors.increment();
      case UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_TIMEOUT -> meters.timeoutErrors.increment();
      case UPSTREAM_RESET -> meters.resetErrors.increment();
      default -> {
        // Portico's own answers (404, 503, ...) are not backend errors.
      }
    }
  }

  @Override
  public void upstreamRetried(RouteTarget target) {
    serviceMeters(target).retries.increment();
  }

  @Override
  public void mirrorEnded(RouteTarget target, MirrorOutcome outcome) {
    mirrors
        .computeIfAbsent(
            target.route().origin(),
            origin -> {
              LongAdder[] counts = new LongAdder[MirrorOutcome.values().length];
              for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
              }
              return counts;
            })[outcome.ordinal()]
        .increment();
  }

  @Override
  public void connectionOpened(boolean tls) {
    (tls ? httpsConnections : httpConnections).increment();
    if (tls) {
      handshakesOk.increment();
    }
  }

  @Override
  public void connectionClosed(boolean tls) {
    (tls ? httpsConnections : httpConnections).decrement();
  }

  @Override
  public void tlsHandshakeFailed() {
    handshakesFailed.increment();
  }

  private static RouteLabels routeLabels(RouteTarget target) {
    return new RouteLabels(
        target.route().origin().namespace(),
        target.route().origin().name(),
        target.servedBy().id().service());
  }

  private ServiceMeters serviceMeters(RouteTarget target) {
    ServiceLabels labels =
        new ServiceLabels(target.servedBy().id().namespace(), target.servedBy().id().service());
    return services.computeIfAbsent(labels, l -> new ServiceMeters());
  }

  private static int methodIndex(HttpMethod method) {
    String name = method.name();
    for (int i = 0; i < METHODS.length - 1; i++) {
      if (METHODS[i].equals(name)) {
        return i;
      }
    }
    return METHODS.length - 1;
  }

  /** Appends every traffic metric in the Prometheus text format. */
  void render(StringBuilder out) {
    header(
        out,
        "portico_requests_total",
        "counter",
        "Requests answered, by route, method and status class");
    routes.forEach(
        (labels, meters) -> {
          for (int m = 0; m < METHODS.length; m++) {
            for (int c = 0; c < CODE_CLASSES.length; c++) {
              long n = meters.requests[m][c].sum();
              if (n > 0) {
                out.append("portico_requests_total{")
                    .append(route(labels))
                    .append(",method=\"")
                    .append(METHODS[m])
                    .append("\",code_class=\"")
                    .append(CODE_CLASSES[c])
                    .append("\"} ")
                    .append(n)
                    .append('\n');
              }
            }
          }
        });
    header(
        out,
        "portico_request_duration_seconds",
        "histogram",
        "Time from a request's arrival to the end of its response");
    routes.forEach(
        (labels, meters) ->
            meters.duration.render(out, "portico_request_duration_seconds", route(labels)));
    header(
        out,
        "portico_upstream_response_duration_seconds",
        "histogram",
        "Time from sending a request to a backend to its response head");
    services.forEach(
        (labels, meters) ->
            meters.upstream.render(
                out, "portico_upstream_response_duration_seconds", service(labels)));
    header(
        out,
        "portico_upstream_errors_total",
        "counter",
        "Failed attempts to reach a backend, by kind: connect, timeout, reset");
    services.forEach(
        (labels, meters) -> {
          errors(out, labels, "connect", meters.connectErrors);
          errors(out, labels, "timeout", meters.timeoutErrors);
          errors(out, labels, "reset", meters.resetErrors);
        });
    header(
        out, "portico_upstream_retries_total", "counter", "Requests retried on another endpoint");
    services.forEach(
        (labels, meters) ->
            out.append("portico_upstream_retries_total{")
                .append(service(labels))
                .append("} ")
                .append(meters.retries.sum())
                .append('\n'));
    header(
        out,
        "portico_mirror_requests_total",
        "counter",
        "Copies of requests for mirrors, by route and result: sent, or why not");
    mirrors.forEach(
        (origin, counts) -> {
          for (MirrorOutcome outcome : MirrorOutcome.values()) {
            long n = counts[outcome.ordinal()].sum();
            if (n > 0) {
              out.append("portico_mirror_requests_total{namespace=\"")
                  .append(escape(origin.namespace()))
                  .append("\",ingress=\"")
                  .append(escape(origin.name()))
                  .append("\",result=\"")
                  .append(outcome.label())
                  .append("\"} ")
                  .append(n)
                  .append('\n');
            }
          }
        });
    header(out, "portico_connections_open", "gauge", "Client connections open, by listener");
    out.append("portico_connections_open{listener=\"http\"} ")
        .append(httpConnections.sum())
        .append('\n');
    out.append("portico_connections_open{listener=\"https\"} ")
        .append(httpsConnections.sum())
        .append('\n');
    header(
        out,
        "portico_tls_handshakes_total",
        "counter",
        "TLS handshakes on the HTTPS listener, by result");
    out.append("portico_tls_handshakes_total{listener=\"https\",result=\"success\"} ")
        .append(handshakesOk.sum())
        .append('\n');
    out.append("portico_tls_handshakes_total{listener=\"https\",result=\"failure\"} ")
        .append(handshakesFailed.sum())
        .append('\n');
  }

  private static void errors(
      StringBuilder out, ServiceLabels labels, String kind, LongAdder count) {
    out.append("portico_upstream_errors_total{")
        .append(service(labels))
        .append(",kind=\"")
        .append(kind)
        .append("\"} ")
        .append(count.sum())
        .append('\n');
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String route(RouteLabels labels) {
    return "namespace=\""
        + escape(labels.namespace())
        + "\",ingress=\""
        + escape(labels.ingress())
        + "\",service=\""
        + escape(labels.service())
        + "\"";
  }

  private static String service(ServiceLabels labels) {
    return "namespace=\""
        + escape(labels.namespace())
        + "\",service=\""
        + escape(labels.service())
        + "\"";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
