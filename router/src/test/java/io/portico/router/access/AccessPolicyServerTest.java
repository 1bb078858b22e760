package io.portico.router.access;

import static io.portico.router.testing.TestVertx.await;

import io.portico.router.LiveConfig;
import io.portico.router.address.ClientAddressRules;
import io.portico.router.echo.EchoBackend;
import io.portico.router.policy.RequestPolicy;
import io.portico.router.policy.RoutePolicies;
import io.portico.router.proxy.ProxyServer;
import io.portico.router.proxy.ProxySettings;
import io.portico.router.route.Backend;
import io.portico.router.route.BackendId;
import io.portico.router.route.Endpoint;
import io.portico.router.route.HostnamePattern;
import io.portico.router.route.HttpsPolicy;
import io.portico.router.route.PathMatch;
import io.portico.router.route.Route;
import io.portico.router.route.RouteOrigin;
import io.portico.router.route.RouteTable;
import io.portico.router.route.RouteTableBuilder;
import io.portico.router.testing.HttpProbe;
import io.portico.router.testing.TestVertx;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the access-control tests through the real server share: a proxy on two event loops, one echo
 * backend, and routes of {@code app.test} with the policies each test gives them.
 */
abstract class AccessPolicyServerTest {

  @RegisterExtension protected final TestVertx vertx = new TestVertx();

  protected final LiveConfig config = new LiveConfig();
  protected EchoBackend app;
  protected RouteTableBuilder table;
  protected HttpProbe client;

  @BeforeEach
  void start() throws Exception {
    app = await(EchoBackend.start(vertx.vertx(), "app", "127.0.0.1", 0));
    table = RouteTable.builder();
    ProxyServer server =
        await(
            ProxyServer.start(
                vertx.vertx(), config, ProxySettings.defaults("127.0.0.1", 0).withEventLoops(2)));
    client = new HttpProbe(vertx.vertx(), server.httpPort());
  }

  /** Adds a route of app.test for {@code path} to the echo backend, with {@code policies}. */
  protected void route(String path, RequestPolicy... policies) {
    table.add(
        new Route(
            HostnamePattern.of("app.test"),
            PathMatch.prefix(path),
            Backend.of(
                new BackendId("default", "app", "80"),
                List.of(Endpoint.of("127.0.0.1", app.port()))),
            new RouteOrigin("default", "app"),
            HttpsPolicy.NONE,
            RoutePolicies.of(policies)));
  }

  /** Serves the routes added so far, deciding client addresses by {@code rules}. */
  protected void publish(ClientAddressRules rules) {
    config.publish(table.build(), config.current().certificates(), rules);
  }
}
