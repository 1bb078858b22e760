package io.portico.controller.admin;

import static java.util.Objects.requireNonNull;

import io.portico.controller.explain.ExplainedRequest;
import io.portico.controller.explain.Explainer;
import io.portico.controller.explain.Explanation;
import io.portico.controller.metrics.PorticoMetrics;
import io.portico.controller.sync.ConfigPublisher;
import io.portico.controller.translate.IngressAnnotations;
import io.portico.controller.translate.Translation;
import io.portico.router.LiveConfig;
import io.portico.router.RoutingConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin server:
 *
 * <ul>
 *   <li>{@code /healthz}: 200 while the process runs;
 *   <li>{@code /readyz}: 200 once the first complete configuration serves, 503 before (and during
 *       shutdown) with the reason;
 *   <li>{@code /routes}: the routing table serving now, as JSON with its generation, what became of
 *       each route's annotations, the Ingresses refused for an annotation, and the warnings ({@code
 *       ?format=text}: the same as text);
 *   <li>{@code /metrics}: Prometheus metrics;
 *   <li>{@code /explain?url=URL}: what happens to a URL and why (200 when something answers it, 404
 *       when nothing does); {@code &header=NAME:VALUE} and {@code &cookie=NAME=VALUE} (repeatable)
 *       say which backend a rule with canaries sends such a request to;
 *   <li>{@code /status}: the status Portico writes (in a cluster) or would write (manifests mode)
 *       for every object whose status it manages: {@code {"items": [...]}}.
 * </ul>
 */
public final class AdminServer {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** Why Portico is not ready, or {@code null} when it is. */
  @FunctionalInterface
  public interface Readiness {
    @Nullable String notReadyReason();
  }

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  public static Future<AdminServer> start(
      Vertx vertx,
      String host,
      int port,
      LiveConfig live,
      ConfigPublisher publisher,
      PorticoMetrics metrics,
      Readiness readiness,
      Supplier<String> status) {
    requireNonNull(live, "live");
    requireNonNull(publisher, "publisher");
    requireNonNull(readiness, "readiness");
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> text(ctx, 200, "ok"));
    router
        .get("/readyz")
        .handler(
            ctx -> {
              String reason = readiness.notReadyReason();
              text(
                  ctx,
                  reason == null ? 200 : 503,
                  reason == null ? "ready" : "not ready: " + reason);
            });
    router
        .get("/routes")
        .handler(
            ctx -> {
              if ("text".equals(ctx.request().getParam("format"))) {
                text(ctx, 200, routesText(live, publisher));
              } else {
                json(
                    ctx,
                    () -> {
                      ConfigPublisher.Published published = publisher.published();
                      RoutingConfig serving = live.current();
                      return RoutesJson.render(
                              serving,
                              publisher.latest(),
                              published != null && published.generation() == serving.generation()
                                  ? published.at()
                                  : null)
                          .encodePrettily();
                    });
              }
            });
    router.get("/explain").handler(ctx -> explain(ctx, live, publisher));
    router.get("/status").handler(ctx -> json(ctx, status));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .map(
            server -> {
              LOG.info("event=listening listener=admin address={}:{}", host, server.actualPort());
              return new AdminServer(server);
            });
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  private static String routesText(LiveConfig live, ConfigPublisher publisher) {
    Translation latest = publisher.latest();
    StringBuilder out =
        new StringBuilder("generation ").append(live.current().generation()).append('\n');
    out.append(live.current().routes().dump());
    if (latest != null) {
      RoutesJson.annotationsText(latest.annotations(), out);
      latest.findings().forEach(f -> out.append(f).append('\n'));
    }
    return out.toString().stripTrailing();
  }

  private static void explain(RoutingContext ctx, LiveConfig live, ConfigPublisher publisher) {
    String url = ctx.request().getParam("url");
    if (url == null || url.isBlank()) {
      text(ctx, 400, "explain: give the URL to explain, e.g. /explain?url=http://app.test/app1");
      return;
    }
    Translation latest = publisher.latest();
    try {
      Explanation explanation =
          new Explainer(
                  live.current().routes(),
                  latest == null ? List.of() : latest.findings(),
                  latest == null ? null : latest.certificates(),
                  latest == null ? IngressAnnotations.NONE : latest.annotations())
              .explain(
                  url,
                  ExplainedRequest.of(
                      ctx.request().params().getAll("header"),
                      ctx.request().params().getAll("cookie")));
      text(ctx, explanation.matched() ? 200 : 404, explanation.text().stripTrailing());
    } catch (IllegalArgumentException e) {
      text(ctx, 400, "explain: " + e.getMessage());
    }
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(body + "\n");
  }

  private static void json(RoutingContext ctx, Supplier<String> body) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.get() + "\n");
  }
}
