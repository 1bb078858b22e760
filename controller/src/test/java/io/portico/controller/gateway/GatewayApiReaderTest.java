package io.portico.controller.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.portico.controller.gateway.RouteFilter.RequestRedirect;
import io.portico.controller.gateway.RouteMatch.HttpMatch;
import io.portico.controller.gateway.RouteMatch.ValueType;
import io.portico.controller.source.ManifestParser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CRDs' defaults as the reader applies them, on objects it must leave as they are. */
class GatewayApiReaderTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: defaults, namespace: apps}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - matches: [{headers: [{name: version, value: one}]}]
          backendRefs: [{name: app, port: 8080}]
          timeouts: {request: 1h30m, backendRequest: 500ms}
        - filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
      """;

  private static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: apps}
      spec:
        gatewayClassName: portico
        addresses: [{value: 10.0.0.1}]
        listeners:
        - name: https
          port: 443
          protocol: HTTPS
          tls: {certificateRefs: [{name: cert}]}
          allowedRoutes: {kinds: [{kind: HTTPRoute}]}
      """;

  @Test
  void anHttpRouteGetsTheDefaultsOfItsCrd() throws Exception {
    RouteView route =
        GatewayApiReader.httpRoute(parse(ROUTE, HTTPRoute.class)).view().orElseThrow();

    ParentRef parent = route.parentRefs().get(0);
    assertEquals(GatewayApi.GROUP, parent.group());
    assertEquals("Gateway", parent.kind());
    assertEquals(Optional.of("apps"), parent.withNamespace("apps").namespace());
    HttpMatch headerOnly = (HttpMatch) route.rules().get(0).matches().get(0);
    assertEquals(PathMatch.DEFAULT, headerOnly.path());
    assertEquals(ValueType.EXACT, headerOnly.headers().get(0).type());
    BackendRefView backend = route.rules().get(0).backendRefs().get(0);
    assertEquals(new TargetRef("", "Service", "app", Optional.empty()), backend.ref());
    assertEquals(1, backend.weight());
    assertEquals(
        new RouteTimeouts(Optional.of(Duration.ofMinutes(90)), Optional.of(Duration.ofMillis(500))),
        route.rules().get(0).timeouts());
    assertEquals(List.of(HttpMatch.DEFAULT), route.rules().get(1).matches());
    assertEquals(302, ((RequestRedirect) route.rules().get(1).filters().get(0)).statusCode());
  }

  @Test
  void aRouteWithoutRulesHasTheDefaultRule() throws Exception {
    HTTPRoute written =
        parse(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: bare, namespace: apps}
            spec: {parentRefs: [{name: gw}]}
            """,
            HTTPRoute.class);
    RouteRule rule = GatewayApiReader.httpRoute(written).view().orElseThrow().rules().get(0);

    assertEquals(List.of(HttpMatch.DEFAULT), rule.matches());
    assertTrue(rule.backendRefs().isEmpty());
  }

  @Test
  void sessionPersistenceGetsTheDefaultsOfTheExperimentalCrd() throws Exception {
    RouteRule rule =
        GatewayApiReader.httpRoute(
                parse(
                    """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: sticky, namespace: apps}
                    spec:
                      parentRefs: [{name: gw}]
                      rules:
                      - backendRefs: [{name: app, port: 8080}]
                        sessionPersistence: {sessionName: shop}
                    """,
                    HTTPRoute.class))
            .view()
            .orElseThrow()
            .rules()
            .get(0);

    assertEquals(
        Optional.of(
            new RouteSession(
                Optional.of("shop"),
                Optional.empty(),
                Optional.empty(),
                RouteSession.Type.COOKIE,
                RouteSession.Lifetime.SESSION)),
        rule.session());
  }

  @Test
  void sessionPersistenceTheCrdWouldRejectIgnoresTheRoute() throws Exception {
    Read<RouteView> read =
        GatewayApiReader.httpRoute(
            parse(
                """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: sticky, namespace: apps}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - backendRefs: [{name: app, port: 8080}]
                    sessionPersistence: {cookieConfig: {lifetimeType: Permanent}}
                  - backendRefs: [{name: app, port: 8080}]
                    sessionPersistence: {type: Header, cookieConfig: {lifetimeType: Session}}
                """,
                HTTPRoute.class));

    assertTrue(read.view().isEmpty());
    assertEquals(
        List.of(
            "spec.rules[0].sessionPersistence.absoluteTimeout: missing (expected: a duration with"
                + " lifetimeType Permanent)",
            "spec.rules[1].sessionPersistence.cookieConfig: set with type Header (expected: type"
                + " Cookie)"),
        read.problems());
  }

  @Test
  void aGatewayGetsTheDefaultsOfItsCrd() throws Exception {
    GatewayView gateway =
        GatewayApiReader.gateway(parse(GATEWAY, Gateway.class)).view().orElseThrow();

    ListenerView listener = gateway.listeners().get(0);
    assertEquals(ListenerView.AllowedRoutes.From.SAME, listener.allowedRoutes().from());
    assertEquals(List.of(GroupKind.HTTP_ROUTE), listener.allowedRoutes().kinds());
    ListenerView.Tls tls = listener.tls().orElseThrow();
    assertEquals("Terminate", tls.mode());
    assertEquals(
        List.of(new TargetRef("", "Secret", "cert", Optional.empty())), tls.certificateRefs());
    assertEquals(List.of(new GatewayView.Address("IPAddress", "10.0.0.1")), gateway.addresses());
    assertEquals(1, gateway.facts().generation());
  }

  @Test
  void readingLeavesTheObjectsAsTheyWere() throws Exception {
    HTTPRoute route = parse(ROUTE, HTTPRoute.class);
    Gateway gateway = parse(GATEWAY, Gateway.class);
    String routeBefore = JSON.asJson(route);
    String gatewayBefore = JSON.asJson(gateway);

    GatewayApiReader.httpRoute(route);
    GatewayApiReader.gateway(gateway);

    assertEquals(routeBefore, JSON.asJson(route));
    assertEquals(gatewayBefore, JSON.asJson(gateway));
    assertEquals(null, route.getSpec().getParentRefs().get(0).getGroup());
  }

  private static <T extends HasMetadata> T parse(String yaml, Class<T> type) throws Exception {
    return type.cast(new ManifestParser().parse("test.yaml", yaml).get(0));
  }
}
