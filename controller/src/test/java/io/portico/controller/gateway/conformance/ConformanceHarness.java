package io.portico.controller.gateway.conformance;

import static io.portico.controller.gateway.conformance.Backends.INFRA;

import io.portico.router.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ported conformance tests share: one Portico per test class with the suite's base objects
 * and echo pods, in manifests mode or against the mock API server, and the suite's ways of waiting:
 * for status computed at the object's current generation, and for an answer that holds three times
 * in a row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceHarness {

  /** How long status may take, as the suite's route and listener waits (60 s). */
  static final Duration STATUS = Duration.ofSeconds(60);

  /** How long traffic may take to settle, as the suite's {@code MaxTimeToConsistency}. */
  static final Duration CONSISTENCY = Duration.ofSeconds(30);

  Vertx vertx;
  Backends backends;
  Environment env;

  /** Portico in the mode of the subclass. */
  abstract Environment environment(Vertx vertx, Path folder, Backends backends, GatewayPorts ports)
      throws Exception;

  @BeforeAll
  void start(@TempDir Path folder) throws Exception {
    vertx = Vertx.vertx();
    backends = Backends.start(vertx);
    env = environment(vertx, folder, backends, new GatewayPorts());
    awaitStatus(
        "GatewayClass portico Accepted at its generation",
        () -> {
          JsonObject gatewayClass = env.object("GatewayClass", null, Base.CLASS);
          return Status.latest(gatewayClass)
              && Status.has(
                  Status.conditions(Status.status(gatewayClass)), "Accepted", "True", null);
        });
    for (String gateway :
        new String[] {
          "same-namespace",
          "all-namespaces",
          "backend-namespaces",
          "same-namespace-with-https-listener"
        }) {
      awaitStatus(
          "base Gateway " + gateway + " Accepted and Programmed",
          () -> {
            JsonObject object = gateway(gateway);
            JsonArray conditions = Status.conditions(Status.status(object));
            return Status.latest(object)
                && Status.has(conditions, "Accepted", "True", null)
                && Status.has(conditions, "Programmed", "True", null);
          });
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
    if (backends != null) {
      backends.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  JsonObject gateway(String name) throws Exception {
    return env.object("Gateway", INFRA, name);
  }

  JsonObject httpRoute(String namespace, String name) throws Exception {
    return env.object("HTTPRoute", namespace, name);
  }

  static void awaitStatus(String what, Callable<Boolean> condition) throws Exception {
    Await.until(what, STATUS, condition);
  }

  /**
   * The suite's {@code GatewayAndHTTPRoutesMustBeAccepted}: the Gateway has an address with a type
   * and conditions at its generation; each route's parent for it is {@code Accepted=True Accepted};
   * every listener of the Gateway is Accepted, ResolvedRefs and Programmed.
   */
  void gatewayAndRoutesAccepted(String gateway, String routeNamespace, String... routes)
      throws Exception {
    awaitStatus(
        "Gateway " + gateway + " with an address, and routes accepted",
        () -> {
          JsonObject object = gateway(gateway);
          if (!Status.latest(object)) {
            return false;
          }
          JsonArray addresses = Status.status(object).getJsonArray("addresses");
          if (addresses == null
              || addresses.isEmpty()
              || addresses.getJsonObject(0).getString("type") == null) {
            return false;
          }
          for (String route : routes) {
            if (!Status.parentHas(
                httpRoute(routeNamespace, route), INFRA, gateway, "Accepted", "True", "Accepted")) {
              return false;
            }
          }
          JsonArray listeners = Status.status(object).getJsonArray("listeners");
          for (int i = 0; i < listeners.size(); i++) {
            JsonArray conditions = Status.conditions(listeners.getJsonObject(i));
            for (String type : new String[] {"Accepted", "ResolvedRefs", "Programmed"}) {
              if (!Status.has(conditions, type, "True", null)) {
                return false;
              }
            }
          }
          return true;
        });
  }

  /** A route's parent for the Gateway has this condition at the route's generation. */
  void routeCondition(
      String routeNamespace,
      String route,
      String gateway,
      String type,
      String status,
      String reason)
      throws Exception {
    awaitStatus(
        "HTTPRoute " + route + " " + type + "=" + status + " " + reason,
        () ->
            Status.parentHas(
                httpRoute(routeNamespace, route), INFRA, gateway, type, status, reason));
  }

  /**
   * Sends the request until the answer passes three times in a row, as the suite's {@code
   * AwaitConvergence} does.
   */
  static void converge(String what, Callable<Client.Answer> send, Predicate<Client.Answer> check)
      throws Exception {
    long deadline = System.nanoTime() + CONSISTENCY.toNanos();
    int inRow = 0;
    Client.Answer last = null;
    Exception failure = null;
    while (System.nanoTime() < deadline) {
      try {
        last = send.call();
        failure = null;
        inRow = check.test(last) ? inRow + 1 : 0;
      } catch (Exception e) {
        failure = e;
        inRow = 0;
      }
      if (inRow == 3) {
        return;
      }
      if (inRow == 0) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(
        "timed out after " + CONSISTENCY + " waiting for: " + what + "; last answer: " + last,
        failure);
  }

  /** The request to the Gateway's port is answered by a pod of {@code backend} in the namespace. */
  void expectBackend(
      String gateway, int gatewayPort, Client.Request request, String namespace, String backend)
      throws Exception {
    int port = env.port(INFRA, gateway, gatewayPort);
    converge(
        request + " -> " + namespace + "/" + backend,
        () -> Client.send(port, request),
        answer -> echoedBy(answer, request, namespace, backend));
  }

  /** The request to the Gateway's port is answered with this status (no echo check). */
  void expectStatus(String gateway, int gatewayPort, Client.Request request, int status)
      throws Exception {
    int port = env.port(INFRA, gateway, gatewayPort);
    converge(
        request + " -> " + status, () -> Client.send(port, request), a -> a.status() == status);
  }

  /**
   * Whether the echo answered for the request as sent: 200, from that namespace and a pod of that
   * backend, with the path and Host unchanged.
   */
  static boolean echoedBy(
      Client.Answer answer, Client.Request request, String namespace, String backend) {
    JsonObject echo = answer.status() == 200 ? answer.echo() : null;
    return echo != null
        && namespace.equals(echo.getString("namespace"))
        && echo.getString("pod").startsWith(backend)
        && request.path().equals(echo.getString("path"))
        && request.host().equals(echo.getString("host"))
        && request.method().equals(echo.getString("method"));
  }

  /** The values of a header the echo received, joined with {@code ,}; {@code null} when absent. */
  static String echoedHeader(JsonObject echo, String name) {
    JsonObject headers = echo.getJsonObject("headers");
    for (String key : headers.fieldNames()) {
      if (key.equalsIgnoreCase(name)) {
        return String.join(",", headers.getJsonArray(key).stream().map(String::valueOf).toList());
      }
    }
    return null;
  }
}
