package io.portico.controller.annotations;

import static io.portico.controller.annotations.BasicAuthThroughTheServerTest.ingress;
import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.TranslatorSettings;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.AuthService;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
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
 * External auth from Ingresses and ConfigMaps in a manifest folder to answers of the real server,
 * with a real auth service, in the spirit of ingress-nginx's e2e tests (annotations/auth.go): an
 * oauth2-proxy-style Ingress ($host in the sign-in URL, headers copied from the service), headers
 * of an {@code auth-proxy-set-headers} ConfigMap, CORS headers on the service's 401, the
 * ConfigMap's global auth and {@code enable-global-auth: "false"}, the ACME path left alone, and a
 * hostile value refusing its Ingress.
 */
class ExternalAuthThroughTheServerTest {

  private static final Duration CHANGE = Duration.ofSeconds(10);

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;
  private Controller controller;
  private HttpProbe client;
  private AuthService auth;
  private EchoBackend app;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    auth = await(AuthService.start(vertx.vertx()));
    String service = "http://127.0.0.1:" + auth.port();
    String objects =
        Manifests.service("app-svc", app.port())
            + "---\n"
            + ingress(
                "oauth",
                "oauth.test",
                "auth-url: " + service + "/oauth2/auth",
                "auth-signin: https://$host/oauth2/start?rd=$escaped_request_uri",
                "auth-response-headers: X-Auth-Request-User, X-Auth-Request-Email")
            + "---\n"
            + ingress(
                "headers",
                "headers.test",
                "auth-url: " + service + "/check",
                "auth-proxy-set-headers: auth-headers")
            + "---\n"
            + ingress(
                "cors",
                "cors.test",
                "auth-url: " + service + "/check",
                "enable-cors: \"true\"",
                "cors-allow-origin: https://app.example.com")
            + "---\n"
            + ingress("global", "global.test")
            + "---\n"
            + ingress("opted-out", "opted-out.test", "enable-global-auth: \"false\"")
            + "---\n"
            + ingress("hostile", "hostile.test", "auth-url: \"" + service + "/check;return 200;\"")
            + "---\n"
            + Manifests.ingress("acme", "global.test", "/.well-known/acme-challenge", "app-svc")
            + "---\n"
            + configMap("default", "auth-headers", "X-Tenant: blue-$remote_addr")
            + "---\n"
            + configMap(
                "portico",
                "portico-config",
                "global-auth-url: " + service + "/global",
                "global-auth-response-headers: X-Global-User");
    Files.writeString(folder.resolve("objects.yaml"), objects);
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .translator(
                    TranslatorSettings.defaults()
                        .withConfigMap(new ObjectKey("portico", "portico-config")))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1))
                .admin("127.0.0.1", 0)
                .build());
    client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the first configuration", CHANGE, () -> client.get("opted-out.test", "/").status() == 200);
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private static String configMap(String namespace, String name, String... data) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, namespace: %s}
        data:
          %s
        """
        .formatted(name, namespace, String.join("\n  ", data));
  }

  private HttpProbe.Answer get(String host, String uri, String... headers) throws Exception {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return client.send(HttpMethod.GET, host, uri, map, null);
  }

  @Test
  void anOauth2ProxyStyleIngressSignsInAndPassesTheUser() throws Exception {
    auth.answer(401);
    long before = app.requests();
    HttpProbe.Answer signIn = get("oauth.test", "/reports?year=2026");
    assertEquals(302, signIn.status());
    assertEquals(
        "https://oauth.test/oauth2/start?rd=%2Freports%3Fyear%3D2026",
        signIn.headers().get("location"));
    assertEquals(before, app.requests());

    auth.answer(202, "X-Auth-Request-User", "alice");
    HttpProbe.Answer served =
        get("oauth.test", "/reports", "X-Auth-Request-Email", "forged@example.com");
    assertEquals(200, served.status());
    JsonObject seen = served.json().getJsonObject("headers");
    assertEquals("alice", seen.getString("x-auth-request-user"));
    assertNull(seen.getString("x-auth-request-email"), "the forged header is removed");
    assertEquals("/oauth2/auth", auth.last().uri());
    assertEquals("/reports", auth.last().headers().get("X-Original-URI"));
  }

  @Test
  void theHeadersOfAProxySetHeadersConfigMapGoToTheService() throws Exception {
    assertEquals(200, get("headers.test", "/").status());
    assertEquals("blue-127.0.0.1", auth.last().headers().get("X-Tenant"));
  }

  @Test
  void theServicesUnauthorizedCarriesCorsHeaders() throws Exception {
    auth.answer(401);
    HttpProbe.Answer answer = get("cors.test", "/", "Origin", "https://app.example.com");
    assertEquals(401, answer.status());
    assertEquals("https://app.example.com", answer.headers().get("access-control-allow-origin"));
  }

  @Test
  void theConfigMapsGlobalAuthGuardsIngressesWithoutTheirOwn() throws Exception {
    auth.answer(403);
    assertEquals(403, get("global.test", "/").status());
    assertEquals("/global", auth.last().uri());
    assertEquals(200, get("opted-out.test", "/").status(), "enable-global-auth: false");
    int asked = auth.seen().size();
    assertEquals(200, get("global.test", "/.well-known/acme-challenge/token").status());
    assertEquals(asked, auth.seen().size(), "no-auth-locations are not asked about");

    auth.answer(200, "X-Global-User", "bob");
    HttpProbe.Answer served = get("global.test", "/");
    assertEquals("bob", served.json().getJsonObject("headers").getString("x-global-user"));
  }

  @Test
  void aHostileValueRefusesItsIngress() throws Exception {
    assertEquals(404, get("hostile.test", "/").status());
    assertTrue(
        controller.latestTranslation().findings().toString().contains("hostile"),
        controller.latestTranslation().findings().toString());
  }
}
