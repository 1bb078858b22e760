package io.portico.controller.examples;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.Controller;
import io.portico.controller.settings.ControllerSettings;
import io.portico.controller.settings.SourceSettings;
import io.portico.controller.testing.Manifests;
import io.portico.controller.translate.Finding;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.testing.AuthService;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/oauth2-proxy.yaml through the real server, with a stand-in for oauth2-proxy's
 * /oauth2/auth (202 with the user for the session cookie, else 401): a visitor without the cookie
 * is sent to the sign-in page with the page it asked for, a signed-in one reaches the dashboard
 * with the user's headers (checked once per cookie for a minute), and /oauth2/ is served unguarded.
 */
class OAuth2ProxyExampleTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "oauth2-proxy.yaml");

  @RegisterExtension final TestVertx vertx = new TestVertx();
  @TempDir Path folder;

  private Controller controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void visitorsSignInAndSignedInUsersReachTheDashboard() throws Exception {
    EchoBackend dashboard = await(EchoBackend.start(vertx.vertx(), "dashboard", "127.0.0.1", 0));
    EchoBackend pages = await(EchoBackend.start(vertx.vertx(), "oauth2-proxy", "127.0.0.1", 0));
    AuthService auth = await(AuthService.start(vertx.vertx()));
    auth.answer(
        request -> {
          String cookie = request.getHeader("cookie");
          if (cookie != null && cookie.contains("_oauth2_proxy=alice-session")) {
            request
                .response()
                .setStatusCode(202)
                .putHeader("X-Auth-Request-User", "alice")
                .putHeader("X-Auth-Request-Email", "alice@example.test")
                .end();
          } else {
            request.response().setStatusCode(401).end();
          }
        });
    // The cluster's DNS name of oauth2-proxy is this test's stand-in.
    Files.writeString(
        folder.resolve("oauth2-proxy.yaml"),
        Files.readString(EXAMPLE)
            .replace("oauth2-proxy.default.svc.cluster.local:4180", "127.0.0.1:" + auth.port()));
    Files.writeString(
        folder.resolve("services.yaml"),
        Manifests.service("dashboard", dashboard.port())
            + "---\n"
            + Manifests.service("oauth2-proxy", pages.port()).replace("port: 80}", "port: 4180}"));
    controller =
        Controller.start(
            ControllerSettings.builder(new SourceSettings.Manifests(folder))
                .proxy(ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2))
                .admin("127.0.0.1", 0)
                .build());
    HttpProbe client = new HttpProbe(vertx.vertx(), controller.httpPort());
    Await.until(
        "the example's rules",
        Duration.ofSeconds(20),
        () -> client.get("dashboard.example.test", "/reports").status() == 302);

    HttpProbe.Answer visitor = client.get("dashboard.example.test", "/reports?year=2026");
    assertEquals(302, visitor.status());
    assertEquals(
        "https://dashboard.example.test/oauth2/start?rd=%2Freports%3Fyear%3D2026",
        visitor.headers().get("location"));
    assertEquals(0, dashboard.requests());

    HttpProbe.Answer signInPage = client.get("dashboard.example.test", "/oauth2/start?rd=%2F");
    assertEquals(200, signInPage.status());
    assertEquals("oauth2-proxy", signInPage.backend());

    MultiMap cookie =
        MultiMap.caseInsensitiveMultiMap().add("Cookie", "_oauth2_proxy=alice-session");
    HttpProbe.Answer alice =
        client.send(HttpMethod.GET, "dashboard.example.test", "/reports", cookie, null);
    assertEquals(200, alice.status());
    assertEquals("dashboard", alice.backend());
    assertEquals("alice", alice.json().getJsonObject("headers").getString("x-auth-request-user"));
    assertEquals(
        "alice@example.test",
        alice.json().getJsonObject("headers").getString("x-auth-request-email"));
    int asked = auth.seen().size();
    assertEquals(
        200,
        client.send(HttpMethod.GET, "dashboard.example.test", "/reports", cookie, null).status());
    assertEquals(asked, auth.seen().size(), "the answer for this cookie is remembered");

    List<Finding> warnings =
        controller.latestTranslation().findings().stream()
            .filter(finding -> finding.severity() == Finding.Severity.WARNING)
            .toList();
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
