package io.portico.router.proxy;

import static io.portico.router.testing.TestVertx.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portico.router.LiveConfig;
import io.portico.router.echo.EchoBackend;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.GatewayRule;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.ListenerKey;
import io.portico.router.route.ListenerRoutes;
import io.portico.router.route.PathMatch;
import io.portico.router.route.RequestConditions;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.WeightedRoute;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listeners opened for Gateway listener ports: their rules alone, opened and closed on demand. */
class OpenedListenersTest {

  @RegisterExtension final TestVertx vertx = new TestVertx();

  private final LiveConfig config = new LiveConfig();
  private EchoBackend app;
  private ProxyServer server;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    server =
        await(
            ProxyServer.start(
                vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(1)));
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private ListenerRoutes routesOn(int port, String path) {
    Route route =
        new Route(
            HostnamePattern.any(),
            PathMatch.prefix(path),
            Backend.of(
                new BackendId("infra", "app", "8080"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("infra", "route"));
    return new ListenerRoutes(
        ListenerKey.opened(port),
        false,
        null,
        List.of(
            new ListenerRoutes.Group(
                "",
                List.of(
                    new GatewayRule(
                        "",
                        RequestConditions.path(PathMatch.prefix(path)),
                        List.of(new WeightedRoute(1, route)),
                        "HTTPRoute infra/route rule 0")))));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  @Test
  void eachOpenedListenerServesItsOwnRulesAndClosesWhenNoLongerWanted() throws Exception {
    List<Integer> ports = new ArrayList<>();
    List<ListenerRoutes> routes = new ArrayList<>();
    Map<ListenerKey, Boolean> wanted = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      int port = freePort();
      ports.add(port);
      routes.add(routesOn(port, "/only-" + i));
      wanted.put(ListenerKey.opened(port), false);
    }
    config.publish(RouteTable.empty().withListenerRoutes(routes));
    await(server.openedListeners(wanted));
    for (int i = 0; i < 3; i++) {
      HttpProbe probe = new HttpProbe(vertx.vertx(), ports.get(i));
      assertEquals(200, probe.get("any.test", "/only-" + i).status());
      assertEquals(404, probe.get("any.test", "/only-" + ((i + 1) % 3)).status());
      assertEquals(ports.get(i), server.openedPort(ListenerKey.opened(ports.get(i))));
    }
    // Closing the middle one of three leaves the others as they were.
    wanted.remove(ListenerKey.opened(ports.get(1)));
    await(server.openedListeners(wanted));
    assertEquals(false, accepts(ports.get(1)));
    assertEquals(0, server.openedPort(ListenerKey.opened(ports.get(1))));
    for (int i : new int[] {0, 2}) {
      assertEquals(
          200, new HttpProbe(vertx.vertx(), ports.get(i)).get("any.test", "/only-" + i).status());
    }
    await(server.openedListeners(Map.of()));
    for (int port : ports) {
      assertEquals(false, accepts(port));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> server.openedListeners(Map.of(ListenerKey.HTTP, false)));
  }
}
