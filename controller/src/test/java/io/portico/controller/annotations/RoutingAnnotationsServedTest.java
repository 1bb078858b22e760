package io.portico.controller.annotations;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingress-nginx's e2e tests of the routing annotations (test/e2e/annotations: rewrite.go,
 * approot.go, redirect.go, fromtowwwredirect.go, alias.go, upstreamvhost.go, xforwardedprefix.go,
 * customhttperrors.go, default_backend.go, disableproxyintercepterrors.go), ported: the same
 * Ingresses, written to a manifest folder, served by a real controller to real backends, with the
 * same requests and the answers ingress-nginx gives.
 */
class RoutingAnnotationsServedTest {

  private static final Duration CHANGE = Duration.ofSeconds(20);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;
  private HttpProbe client;
  private EchoBackend echo;

  @BeforeEach
  void start() throws Exception {
    echo = await(EchoBackend.start(vertx.vertx(), "echo", "127.0.0.1", 0));
    // httpbun's part: a status by path, as disableproxyintercepterrors.go asks /status/404.
    HttpServer statuses =
        await(
            vertx
                .vertx()
                .createHttpServer()
                .requestHandler(
                    request -> {
                      String path = request.path();
                      int status =
                          path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
                      request.response().setStatusCode(status).end();
                    })
                .listen(0, "127.0.0.1"));
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("echo", echo.port())
            + "---\n"
            + Manifests.service("httpbun", statuses.actualPort())
            + "---\n"
            + Manifests.service("errors", echo.port())
            + "---\n"
            + Manifests.service("invalid"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  /** An Ingress of one rule, with annotations (each {@code name: value}, nginx prefix added). */
  private static String ingress(
      String name, String host, String path, String type, String service, String... annotations) {
    StringBuilder meta = new StringBuilder();
    for (String annotation : annotations) {
      int colon = annotation.indexOf(": ");
      meta.append("    nginx.ingress.kubernetes.io/")
          .append(annotation, 0, colon)
          .append(": '")
          .append(annotation.substring(colon + 2).replace("'", ""))
          .append("'\n");
    }
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          namespace: default
          annotations:
        %s\
        spec:
          ingressClassName: portico
          rules:
          - host: %s
            http:
              paths:
              - {path: '%s', pathType: %s, backend: {service: {name: %s, port: {number: 80}}}}
        ---
        """
        .formatted(name, meta, host, path, type, service);
  }

  private void serve(String file, String manifests) throws Exception {
    Files.writeString(folder.resolve(file), manifests);
  }

  private HttpProbe.Answer get(String host, String uri) throws Exception {
    return client.get(host, uri);
  }

  private String uri(String host, String path) throws Exception {
    HttpProbe.Answer answer = get(host, path);
    assertEquals(200, answer.status(), host + path + ": " + answer.text());
    return answer.json().getString("uri");
  }

  @Test
  void rewriteAndRegex() throws Exception {
    serve(
        "rewrite.yaml",
        // "should write rewrite logs": /something with target /.
        ingress("rewrite", "rewrite.bar.com", "/something", "Prefix", "echo", "rewrite-target: /")
            // "should use correct longest path match": kube-lego first, then a rewrite on /.
            + ingress(
                "kube-lego",
                "longest.bar.com",
                "/.well-known/acme/challenge",
                "ImplementationSpecific",
                "echo")
            + ingress(
                "rewrite-root",
                "longest.bar.com",
                "/",
                "ImplementationSpecific",
                "echo",
                "rewrite-target: /new/backend")
            // "should use ~* location modifier if regex annotation is present".
            + ingress("foo", "regex.bar.com", "/foo", "ImplementationSpecific", "echo")
            + ingress(
                "foo-more",
                "regex.bar.com",
                "/foo.+",
                "ImplementationSpecific",
                "echo",
                "use-regex: true",
                "rewrite-target: /new/backend")
            // "should fail to use longest match for documented warning".
            + ingress("plain-bar", "warn.bar.com", "/foo/bar/bar", "ImplementationSpecific", "echo")
            + ingress(
                "regex-bar",
                "warn.bar.com",
                "/foo/bar/[a-z]{3}",
                "ImplementationSpecific",
                "echo",
                "use-regex: true",
                "rewrite-target: /new/backend")
            // "should allow for custom rewrite parameters".
            + ingress(
                "params",
                "params.bar.com",
                "/foo/bar/(.+)",
                "ImplementationSpecific",
                "echo",
                "use-regex: true",
                "rewrite-target: /new/backend/$1"));
    Await.until("the rewrites", CHANGE, () -> get("params.bar.com", "/foo/bar/x").status() == 200);

    assertEquals("/", uri("rewrite.bar.com", "/something"));
    assertEquals("/?a=b", uri("rewrite.bar.com", "/something/else?a=b"));
    assertEquals(
        "/.well-known/acme/challenge", uri("longest.bar.com", "/.well-known/acme/challenge"));
    assertEquals("/new/backend", uri("longest.bar.com", "/other"));
    assertEquals("/foo", uri("regex.bar.com", "/foo"));
    assertEquals("/new/backend", uri("regex.bar.com", "/foo/bar"));
    assertEquals("/new/backend", uri("warn.bar.com", "/foo/bar/bar"));
    assertEquals("/new/backend/bar", uri("params.bar.com", "/foo/bar/bar"));
    // Regex mode matches prefixes, ignoring case; the rewrite keeps the query.
    assertEquals("/new/backend/BAR?q=1", uri("params.bar.com", "/FOO/bar/BAR?q=1"));
  }

  @Test
  void trailingSlashesAndTraversal() throws Exception {
    serve(
        "slash.yaml",
        ingress("docs", "slash.bar.com", "/docs/", "Prefix", "echo")
            + ingress(
                "assets",
                "assets.bar.com",
                "/assets(.*)",
                "ImplementationSpecific",
                "echo",
                "use-regex: true",
                "rewrite-target: /static/$1"));
    Await.until("the rules", CHANGE, () -> get("slash.bar.com", "/docs/").status() == 200);
    HttpProbe.Answer redirect = get("slash.bar.com", "/docs?page=2");
    assertEquals(301, redirect.status());
    assertEquals("http://slash.bar.com/docs/?page=2", redirect.headers().get("location"));
    assertEquals("/static/app.js", uri("assets.bar.com", "/assets/app.js"));
    long before = echo.requests();
    assertEquals(400, get("assets.bar.com", "/assets..").status());
    assertEquals(before, echo.requests());
  }

  @Test
  void redirectsAppRootAndWww() throws Exception {
    serve(
        "redirects.yaml",
        // redirect.go
        ingress(
                "redirect",
                "redirect.bar.com",
                "/something",
                "Prefix",
                "echo",
                "permanent-redirect: http://redirect.example.com")
            + ingress(
                "redirect-code",
                "code.bar.com",
                "/something",
                "Prefix",
                "echo",
                "permanent-redirect: http://redirect.example.com",
                "permanent-redirect-code: 308")
            // approot.go
            + ingress("approot", "approot.bar.com", "/", "Prefix", "echo", "app-root: /foo")
            // fromtowwwredirect.go
            + ingress(
                "www",
                "fromtowwwredirect.bar.com",
                "/foo",
                "Prefix",
                "echo",
                "from-to-www-redirect: true"));
    Await.until("the redirects", CHANGE, () -> get("approot.bar.com", "/").status() == 302);
    long before = echo.requests();

    HttpProbe.Answer standard = get("redirect.bar.com", "/something");
    assertEquals(301, standard.status());
    assertEquals("http://redirect.example.com", standard.headers().get("location"));
    HttpProbe.Answer custom = get("code.bar.com", "/something");
    assertEquals(308, custom.status());
    assertEquals("http://redirect.example.com", custom.headers().get("location"));

    HttpProbe.Answer appRoot = get("approot.bar.com", "/");
    assertEquals("http://approot.bar.com/foo", appRoot.headers().get("location"));

    HttpProbe.Answer www = get("www.fromtowwwredirect.bar.com", "/foo");
    assertEquals(308, www.status());
    assertEquals("http://fromtowwwredirect.bar.com/foo", www.headers().get("location"));
    assertEquals(before, echo.requests(), "no redirect reached the backend");
    assertEquals("/foo", uri("approot.bar.com", "/foo"));
  }

  @Test
  void httpsRedirectsLeaveOneTrailingSlashOutUnlessPreserved() throws Exception {
    serve(
        "https.yaml",
        // forcesslredirect.go
        ingress(
                "force",
                "forcesslredirect.bar.com",
                "/",
                "Prefix",
                "echo",
                "force-ssl-redirect: true")
            // preservetrailingslash.go
            + ingress(
                "preserve",
                "preserve.bar.com",
                "/",
                "Prefix",
                "echo",
                "force-ssl-redirect: true",
                "preserve-trailing-slash: true"));
    Await.until("the redirects", CHANGE, () -> get("preserve.bar.com", "/").status() == 308);
    HttpProbe.Answer forced = get("forcesslredirect.bar.com", "/");
    assertEquals(308, forced.status());
    assertEquals("https://forcesslredirect.bar.com", forced.headers().get("location"));
    assertEquals(
        "https://preserve.bar.com/", get("preserve.bar.com", "/").headers().get("location"));
  }

  @Test
  void aliasesUpstreamVhostAndForwardedPrefix() throws Exception {
    serve(
        "hosts.yaml",
        // alias.go: "two ingresses, different path with one alias".
        ingress("app-a", "foo", "/app-a", "Prefix", "echo")
            + ingress("app-b", "foo", "/app-b", "Prefix", "echo", "server-alias: bar")
            // upstreamvhost.go
            + ingress(
                "vhost",
                "vhost.bar.com",
                "/",
                "Prefix",
                "echo",
                "upstream-vhost: upstreamvhost.bar.com")
            // xforwardedprefix.go
            + ingress(
                "prefix",
                "prefix.bar.com",
                "/",
                "Prefix",
                "echo",
                "x-forwarded-prefix: /test/value",
                "rewrite-target: /foo")
            + ingress(
                "no-prefix",
                "noprefix.bar.com",
                "/",
                "Prefix",
                "echo",
                "x-forwarded-prefix: ''",
                "rewrite-target: /foo"));
    Await.until("the aliases", CHANGE, () -> get("bar", "/app-a").status() == 200);

    assertEquals("/app-a", uri("foo", "/app-a"));
    assertEquals("/app-a", uri("bar", "/app-a"));
    assertEquals("/app-b", uri("bar", "/app-b"));
    assertEquals(404, get("baz", "/app-a").status());

    JsonObject vhost = get("vhost.bar.com", "/").json().getJsonObject("headers");
    assertEquals("upstreamvhost.bar.com", vhost.getString("host"));

    JsonObject prefixed = get("prefix.bar.com", "/").json();
    assertEquals("/foo", prefixed.getString("uri"));
    assertEquals("/test/value", prefixed.getJsonObject("headers").getString("x-forwarded-prefix"));
    assertNull(
        get("noprefix.bar.com", "/")
            .json()
            .getJsonObject("headers")
            .getString("x-forwarded-prefix"));
  }

  @Test
  void customErrorsAndTheDefaultBackend() throws Exception {
    serve(
        "errors.yaml",
        // disableproxyintercepterrors.go, with interception on.
        ingress(
                "pie.foo.com",
                "pie.foo.com",
                "/",
                "Prefix",
                "httpbun",
                "custom-http-errors: 404",
                "default-backend: errors")
            + ingress(
                "pie-off",
                "off.foo.com",
                "/",
                "Prefix",
                "httpbun",
                "custom-http-errors: 404",
                "default-backend: errors",
                "disable-proxy-intercept-errors: true")
            // default_backend.go: a rule Service without endpoints.
            + ingress(
                "default-backend",
                "default.foo.com",
                "/",
                "Prefix",
                "invalid",
                "default-backend: echo"));
    Await.until(
        "the error pages", CHANGE, () -> get("default.foo.com", "/alma/armud").status() == 200);

    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add("x-request-id", "proxy_intercept_errors");
    HttpProbe.Answer intercepted =
        client.send(HttpMethod.GET, "pie.foo.com", "/status/404", headers, null);
    assertEquals(200, intercepted.status());
    JsonObject sent = intercepted.json().getJsonObject("headers");
    assertEquals("404", sent.getString("x-code"));
    assertEquals("pie.foo.com", sent.getString("x-ingress-name"));
    assertEquals("httpbun", sent.getString("x-service-name"));
    assertEquals("proxy_intercept_errors", sent.getString("x-request-id"));
    assertEquals("/", intercepted.json().getString("uri"));

    HttpProbe.Answer passed = get("off.foo.com", "/status/404");
    assertEquals(404, passed.status());
    assertEquals("", passed.text());

    MultiMap unique = MultiMap.caseInsensitiveMultiMap().add("x-request-id", "something-unique");
    HttpProbe.Answer defaulted =
        client.send(HttpMethod.GET, "default.foo.com", "/alma/armud", unique, null);
    assertEquals(200, defaulted.status());
    JsonObject told = defaulted.json().getJsonObject("headers");
    assertEquals("503", told.getString("x-code"));
    assertEquals("default-backend", told.getString("x-ingress-name"));
    assertEquals("invalid", told.getString("x-service-name"));
    assertEquals("something-unique", told.getString("x-request-id"));
    assertEquals("/alma/armud", defaulted.json().getString("uri"));
  }
}
