package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.AppRootPolicy;
import io.portico.router.policy.HostRedirectPolicy;
import io.portico.router.policy.RedirectPolicy;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RewriteTemplate;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.policy.UpstreamHostPolicy;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RewritePolicy;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The route model and policies behind ingress-nginx's routing annotations, through the real server
 * to a real backend: regex rules and {@code rewrite-target} (rewrite.go), {@code
 * x-forwarded-prefix} (xforwardedprefix.go), the trailing-slash redirect, {@code
 * permanent-redirect} (redirect.go), {@code app-root} (approot.go), {@code from-to-www-redirect}
 * (fromtowwwredirect.go) and {@code upstream-vhost} (upstreamvhost.go).
 */
class RoutingPoliciesIntegrationTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app;
  private Backend backend;
  private HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    backend =
        Backend.of(
            new BackendId("default", "app-svc", "80"),
            List.of(Endpoint.of("127.0.0.1", app.port())));
    ProxySettings settings = ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2);
    ProxyServer proxy = await(ProxyServer.start(vertx.vertx(), config, settings));
    client = new HttpProbe(vertx.vertx(), proxy.httpPort());
  }

  private Route route(String host, PathMatch path, RequestPolicy... policies) {
    return new Route(
        HostnamePattern.of(host),
        path,
        backend,
        new RouteOrigin("default", "app"),
        HttpsPolicy.NONE,
        RoutePolicies.of(policies));
  }

  private static RewritePolicy rewrite(String path, String target, String prefix) {
    return new RewritePolicy(
        (PathMatch.Regex) PathMatch.regex(path),
        RewriteTemplate.of(target),
        prefix == null ? null : RewriteTemplate.of(prefix));
  }

  private void publish(Route... routes) {
    RouteTableBuilder table = RouteTable.builder();
    for (Route route : routes) {
      table.add(route);
    }
    config.publish(table.build());
  }

  private JsonObject seen(String host, String uri) throws Exception {
    HttpProbe.Answer answer = client.get(host, uri);
    assertEquals(200, answer.status(), answer.text());
    return answer.json();
  }

  @Test
  void regexRulesAndRewritesFollowIngressNginx() throws Exception {
    List<Route> routes = new ArrayList<>();
    // "should use ~* location modifier if regex annotation is present".
    routes.add(route("rewrite.test", PathMatch.regex("/foo")));
    routes.add(
        route("rewrite.test", PathMatch.regex("/foo.+"), rewrite("/foo.+", "/new/backend", null)));
    // "should allow for custom rewrite parameters".
    routes.add(
        route(
            "params.test",
            PathMatch.regex("/foo/bar/(.+)"),
            rewrite("/foo/bar/(.+)", "/new/backend/$1", null)));
    // "should fail to use longest match for documented warning".
    routes.add(route("longest.test", PathMatch.regex("/foo/bar/bar")));
    routes.add(
        route(
            "longest.test",
            PathMatch.regex("/foo/bar/[a-z]{3}"),
            rewrite("/foo/bar/[a-z]{3}", "/new/backend", null)));
    publish(routes.toArray(new Route[0]));

    assertEquals("/foo", seen("rewrite.test", "/foo").getString("uri"));
    assertEquals("/new/backend", seen("rewrite.test", "/foo/bar").getString("uri"));
    assertEquals("/new/backend?a=1", seen("rewrite.test", "/FOO/bar?a=1").getString("uri"));
    assertEquals("/new/backend/bar", seen("params.test", "/foo/bar/bar").getString("uri"));
    assertEquals("/new/backend", seen("longest.test", "/foo/bar/bar").getString("uri"));
  }

  @Test
  void aRewriteThatClimbsOutOfItsTargetIsRefusedBeforeTheBackend() throws Exception {
    publish(
        route(
            "assets.test",
            PathMatch.regex("/assets(.*)"),
            rewrite("/assets(.*)", "/static/$1", null)));
    assertEquals("/static/app.js", seen("assets.test", "/assets/app.js").getString("uri"));
    long before = app.requests();
    HttpProbe.Answer climbed = client.get("assets.test", "/assets..");
    assertEquals(400, climbed.status());
    assertEquals(before, app.requests(), "nothing went upstream");
  }

  @Test
  void xForwardedPrefixGoesWithTheRewriteOnly() throws Exception {
    publish(
        route("prefix.test", PathMatch.regex("/"), rewrite("/", "/foo", "/test/value")),
        route("plain.test", PathMatch.prefix("/")));
    JsonObject rewritten = seen("prefix.test", "/");
    assertEquals("/foo", rewritten.getString("uri"));
    assertEquals("/test/value", rewritten.getJsonObject("headers").getString("x-forwarded-prefix"));
    assertNull(seen("plain.test", "/").getJsonObject("headers").getString("x-forwarded-prefix"));
  }

  @Test
  void aPathWrittenWithATrailingSlashRedirectsThePathWithoutIt() throws Exception {
    publish(
        route("slash.test", PathMatch.prefix("/docs/")),
        route("slash.test", PathMatch.exact("/exact/")),
        route("regex.test", PathMatch.regex("/docs/")));
    HttpProbe.Answer redirect = client.get("slash.test", "/docs?page=2");
    assertEquals(301, redirect.status());
    assertEquals("http://slash.test/docs/?page=2", redirect.headers().get("location"));
    assertEquals(0, app.requests());
    assertEquals("/docs/x", seen("slash.test", "/docs/x").getString("uri"));
    assertEquals(
        "http://slash.test/exact/", client.get("slash.test", "/exact").headers().get("location"));
    // Never on a host in regex mode.
    assertEquals(404, client.get("regex.test", "/docs").status());
  }

  @Test
  void redirectAnnotationsAnswerWithNginxsStatusesAndLocations() throws Exception {
    publish(
        route(
            "redirect.test",
            PathMatch.prefix("/something"),
            new RedirectPolicy(301, "http://redirect.example.com")),
        route(
            "redirect.test",
            PathMatch.prefix("/custom"),
            new RedirectPolicy(308, "http://redirect.example.com")),
        route("rr.foo.com", PathMatch.prefix("/"), new RedirectPolicy(301, "/new-location")),
        route("approot.bar.com", PathMatch.exact("/"), new AppRootPolicy("/foo")),
        route("approot.bar.com", PathMatch.prefix("/")),
        route(
            "www.fromtowwwredirect.bar.com",
            PathMatch.prefix("/"),
            new HostRedirectPolicy("fromtowwwredirect.bar.com", 308)));

    HttpProbe.Answer standard = client.get("redirect.test", "/something");
    assertEquals(301, standard.status());
    assertEquals("http://redirect.example.com", standard.headers().get("location"));
    assertEquals(308, client.get("redirect.test", "/custom").status());
    assertEquals(
        "http://rr.foo.com/new-location",
        client.get("rr.foo.com", "/something").headers().get("location"));

    HttpProbe.Answer appRoot = client.get("approot.bar.com", "/");
    assertEquals(302, appRoot.status());
    assertEquals("http://approot.bar.com/foo", appRoot.headers().get("location"));

    HttpProbe.Answer www = client.get("www.fromtowwwredirect.bar.com", "/foo");
    assertEquals(308, www.status());
    assertEquals("http://fromtowwwredirect.bar.com/foo", www.headers().get("location"));
    assertEquals(0, app.requests(), "no redirect reached the backend");
    assertEquals("/foo", seen("approot.bar.com", "/foo").getString("uri"));
  }

  @Test
  void upstreamVhostSetsTheHostTheBackendSees() throws Exception {
    publish(
        route("app.test", PathMatch.prefix("/"), new UpstreamHostPolicy("upstreamvhost.bar.com")));
    JsonObject headers = seen("app.test", "/").getJsonObject("headers");
    assertEquals("upstreamvhost.bar.com", headers.getString("host"));
    assertEquals("app.test", headers.getString("x-forwarded-host"));
  }
}
