package io.portico.controller.accesslog;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.Await;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Access-log lines, through the real proxy, in both formats. */
class AccessLogTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private List<String> serve(AccessLogFormat format, boolean withQuery, String... paths)
      throws Exception {
    EchoBackend app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    LiveConfig live = new LiveConfig();
    RouteTableBuilder table = RouteTable.builder();
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix("/"),
            Backend.of(
                new BackendId("shop", "app-svc", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("shop", "storefront")));
    live.publish(table.build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(format, withQuery, out);
    ProxyServer proxy =
        await(
            ProxyServer.start(
                vertx.vertx(),
                live,
                ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1),
                null,
                log));
    HttpProbe client = new HttpProbe(vertx.vertx(), proxy.httpPort());
    for (String path : paths) {
      client.get(path.startsWith("/nowhere") ? "other.test" : "app.test", path);
    }
    Await.until(
        "every line",
        Duration.ofSeconds(10),
        () -> out.toString(StandardCharsets.UTF_8).lines().count() == paths.length);
    log.close();
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void textLinesNameTheRequestTheUpstreamAndTheRoute() throws Exception {
    List<String> lines = serve(AccessLogFormat.TEXT, false, "/cart?token=secret", "/nowhere");
    String served = lines.get(0);
    assertTrue(
        served.matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z 127\\.0\\.0\\.1 app\\.test \"GET /cart HTTP/1\\.1\" 200 \\d+ \\d+\\.\\d{6} 127\\.0\\.0\\.1:\\d+ \\d+\\.\\d{6} shop/storefront shop/app-svc"),
        served);
    assertTrue(!served.contains("token"), "query strings are left out unless asked: " + served);
    assertTrue(lines.get(1).contains(" other.test \"GET /nowhere HTTP/1.1\" 404 "), lines.get(1));
    assertTrue(lines.get(1).endsWith(" - - - -"), lines.get(1));
  }

  @Test
  void jsonLinesCarryTheSameFieldsAndTheQueryWhenAsked() throws Exception {
    JsonObject line = new JsonObject(serve(AccessLogFormat.JSON, true, "/cart?item=7").get(0));
    assertEquals("app.test", line.getString("host"));
    assertEquals("GET", line.getString("method"));
    assertEquals("/cart?item=7", line.getString("path"));
    assertEquals("HTTP/1.1", line.getString("protocol"));
    assertEquals(200, line.getInteger("status"));
    assertTrue(line.getLong("bytes") > 0);
    assertTrue(line.getDouble("duration") >= line.getDouble("upstream_time"));
    assertEquals("shop/storefront", line.getString("ingress"));
    assertEquals("shop/app-svc", line.getString("service"));
    assertTrue(line.getString("upstream").startsWith("127.0.0.1:"));
    assertEquals("127.0.0.1", line.getString("client"));
  }
}
