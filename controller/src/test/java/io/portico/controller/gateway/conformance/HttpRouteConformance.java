package io.portico.controller.gateway.conformance;

import static io.portico.controller.gateway.conformance.Backends.APP;
import static io.portico.controller.gateway.conformance.Backends.INFRA;
import static io.portico.controller.gateway.conformance.Backends.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portico.controller.gateway.conformance.Client.Request;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The core HTTPRoute tests of the conformance suite (GATEWAY-HTTP profile, Gateway API v1.6.1),
 * ported in spirit: routes written anew after the suite's, status awaited as its helpers do, and
 * traffic through Portico's real listeners to the echo pods, each answer holding three times in a
 * row.
 */
abstract class HttpRouteConformance extends GatewayConformance {

  /** An HTTPRoute in the infra namespace on {@code same-namespace} with these rules. */
  private static String route(String name, String rules) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          rules:
        %s"""
        .formatted(name, rules.indent(2));
  }

  private static String v(int n) {
    return "infra-backend-v" + n;
  }

  private void expectInfra(String gateway, Request request, int backend) throws Exception {
    expectBackend(gateway, 80, request, INFRA, v(backend));
  }

  @Test
  void HTTPRouteCrossNamespace() throws Exception {
    env.apply(
        "cross-namespace",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: cross-namespace, namespace: gateway-conformance-web-backend}
        spec:
          parentRefs: [{name: backend-namespaces, namespace: gateway-conformance-infra}]
          rules: [{backendRefs: [{name: web-backend, port: 8080}]}]
        """);
    try {
      gatewayAndRoutesAccepted("backend-namespaces", WEB, "cross-namespace");
      routeCondition(
          WEB, "cross-namespace", "backend-namespaces", "ResolvedRefs", "True", "ResolvedRefs");
      expectBackend("backend-namespaces", 80, Request.get("example.com", "/"), WEB, "web-backend");
    } finally {
      env.delete("cross-namespace");
    }
  }

  @Test
  void HTTPRouteExactPathMatching() throws Exception {
    env.apply(
        "exact-matching",
        route(
            "exact-matching",
            """
            - matches: [{path: {type: Exact, value: /one}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: Exact, value: /two}}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "exact-matching");
      expectInfra("same-namespace", Request.get("example.com", "/one"), 1);
      expectInfra("same-namespace", Request.get("example.com", "/two"), 2);
      for (String path : List.of("/", "/one/example", "/two/", "/Two")) {
        expectStatus("same-namespace", 80, Request.get("example.com", path), 404);
      }
    } finally {
      env.delete("exact-matching");
    }
  }

  @Test
  void HTTPRouteHeaderMatching() throws Exception {
    env.apply(
        "header-matching",
        route(
            "header-matching",
            """
            - matches: [{headers: [{name: version, value: one}]}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{headers: [{name: version, value: two}]}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "header-matching");
      Request root = Request.get("example.com", "/");
      expectInfra("same-namespace", root.with("Version", "one"), 1);
      expectInfra("same-namespace", root.with("Version", "two"), 2);
      expectInfra("same-namespace", root.with("Version", "two").with("Color", "orange"), 1);
      expectInfra("same-namespace", root.with("Version", "two").with("Color", "blue"), 2);
      expectStatus("same-namespace", 80, root.with("Color", "orange"), 404);
      expectStatus("same-namespace", 80, root.with("Some-Other-Header", "one"), 404);
      expectInfra("same-namespace", root.with("Color", "blue"), 1);
      expectInfra("same-namespace", root.with("Color", "green"), 1);
      expectInfra("same-namespace", root.with("Color", "red"), 2);
      expectInfra("same-namespace", root.with("Color", "yellow"), 2);
      expectStatus("same-namespace", 80, root.with("Color", "purple"), 404);
    } finally {
      env.delete("header-matching");
    }
  }

  @Test
  void HTTPRouteHostnameIntersection() throws Exception {
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: %s, namespace: gateway-conformance-infra}]
          hostnames: [%s]
          rules:
          - matches: [{path: {type: PathPrefix, value: %s}}]
            backendRefs: [{name: %s, port: 8080}]
        """;
    env.apply(
        "hostname-intersection",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: httproute-hostname-intersection, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com, allowedRoutes: {namespaces: {from: Same}}}
          - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io", allowedRoutes: {namespaces: {from: Same}}}
          - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io", allowedRoutes: {namespaces: {from: Same}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: httproute-hostname-intersection-all, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: listener-1, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
        """
            + route.formatted(
                "specific-host-matches-listener-specific-host",
                "httproute-hostname-intersection",
                "non.matching.com, \"*.nonmatchingwildcard.io\", very.specific.com",
                "/s1",
                v(1))
            + route.formatted(
                "specific-host-matches-listener-wildcard-host",
                "httproute-hostname-intersection",
                "non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io",
                "/s2",
                v(2))
            + route.formatted(
                "wildcard-host-matches-listener-specific-host",
                "httproute-hostname-intersection",
                "non.matching.com, \"*.specific.com\"",
                "/s3",
                v(3))
            + route.formatted(
                "wildcard-host-matches-listener-wildcard-host",
                "httproute-hostname-intersection",
                "\"*.anotherwildcard.io\"",
                "/s4",
                v(1))
            + route.formatted(
                "no-intersecting-hosts",
                "httproute-hostname-intersection",
                "specific.but.wrong.com, wildcard.io",
                "/s5",
                v(2))
            + route.formatted(
                "route-with-hostnames",
                "httproute-hostname-intersection-all",
                "first.com, sub.first.com, second.com, sub.second.com",
                "/",
                v(2)));
    try {
      String gateway = "httproute-hostname-intersection";
      gatewayAndRoutesAccepted(
          gateway,
          INFRA,
          "specific-host-matches-listener-specific-host",
          "specific-host-matches-listener-wildcard-host",
          "wildcard-host-matches-listener-specific-host",
          "wildcard-host-matches-listener-wildcard-host");
      routeCondition(
          INFRA,
          "no-intersecting-hosts",
          gateway,
          "Accepted",
          "False",
          "NoMatchingListenerHostname");
      awaitStatus(
          "attached routes per listener",
          () -> {
            JsonObject object = gateway(gateway);
            return Status.attachedRoutes(Status.listener(object, "listener-1")) == 2
                && Status.attachedRoutes(Status.listener(object, "listener-2")) == 1
                && Status.attachedRoutes(Status.listener(object, "listener-3")) == 1;
          });
      expectInfra(gateway, Request.get("very.specific.com", "/s1"), 1);
      expectInfra(gateway, Request.get("very.specific.com:1234", "/s1"), 1);
      for (String host :
          List.of("non.matching.com", "foo.nonmatchingwildcard.io", "foo.wildcard.io")) {
        expectStatus(gateway, 80, Request.get(host, "/s1"), 404);
      }
      expectStatus(gateway, 80, Request.get("very.specific.com", "/non-matching-prefix"), 404);
      for (String host : List.of("foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io")) {
        expectInfra(gateway, Request.get(host, "/s2"), 2);
      }
      for (String host : List.of("non.matching.com", "wildcard.io", "very.specific.com")) {
        expectStatus(gateway, 80, Request.get(host, "/s2"), 404);
      }
      expectStatus(gateway, 80, Request.get("foo.wildcard.io", "/non-matching-prefix"), 404);
      expectInfra(gateway, Request.get("very.specific.com", "/s3"), 3);
      for (String host : List.of("non.matching.com", "foo.specific.com", "foo.wildcard.io")) {
        expectStatus(gateway, 80, Request.get(host, "/s3"), 404);
      }
      for (String host :
          List.of(
              "foo.anotherwildcard.io", "bar.anotherwildcard.io", "foo.bar.anotherwildcard.io")) {
        expectInfra(gateway, Request.get(host, "/s4"), 1);
      }
      for (String host : List.of("anotherwildcard.io", "foo.wildcard.io", "very.specific.com")) {
        expectStatus(gateway, 80, Request.get(host, "/s4"), 404);
      }
      for (String host : List.of("specific.but.wrong.com", "wildcard.io")) {
        expectStatus(gateway, 80, Request.get(host, "/s5"), 404);
      }
      gatewayAndRoutesAccepted(
          "httproute-hostname-intersection-all", INFRA, "route-with-hostnames");
      for (String host : List.of("first.com", "sub.first.com", "second.com", "sub.second.com")) {
        expectInfra("httproute-hostname-intersection-all", Request.get(host, "/"), 2);
      }
      for (String host : List.of("third.com", "sub.third.com")) {
        expectStatus("httproute-hostname-intersection-all", 80, Request.get(host, "/"), 404);
      }
    } finally {
      env.delete("hostname-intersection");
    }
  }

  @Test
  void HTTPRouteHTTPSListener() throws Exception {
    String gateway = "same-namespace-with-https-listener";
    env.apply(
        "https-listener",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: httproute-https-test, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace-with-https-listener}]
          hostnames: [example.org]
          rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: httproute-https-test-no-hostname, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace-with-https-listener, sectionName: https-with-hostname}]
          rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]
        """);
    try {
      gatewayAndRoutesAccepted(
          gateway, INFRA, "httproute-https-test", "httproute-https-test-no-hostname");
      int port = env.port(INFRA, gateway, 443);
      for (String[] expected :
          new String[][] {{"example.org", v(1)}, {"second-example.org", v(2)}}) {
        Request request = Request.get(expected[0], "/");
        converge(
            "https " + expected[0],
            () -> Client.sendTls(port, expected[0], request),
            answer -> echoedBy(answer, request, INFRA, expected[1]));
      }
      converge(
          "https unknown-example.org -> 404",
          () ->
              Client.sendTls(port, "unknown-example.org", Request.get("unknown-example.org", "/")),
          answer -> answer.status() == 404);
    } finally {
      env.delete("https-listener");
    }
  }

  @Test
  void HTTPRouteInvalidBackendRefUnknownKind() throws Exception {
    env.apply(
        "unknown-kind",
        route(
            "invalid-backend-ref-unknown-kind",
            """
            - matches: [{path: {type: PathPrefix, value: /v2}}]
              backendRefs: [{group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "invalid-backend-ref-unknown-kind");
      routeCondition(
          INFRA,
          "invalid-backend-ref-unknown-kind",
          "same-namespace",
          "ResolvedRefs",
          "False",
          "InvalidKind");
      expectStatus("same-namespace", 80, Request.get("example.com", "/v2"), 500);
    } finally {
      env.delete("unknown-kind");
    }
  }

  @Test
  void HTTPRouteInvalidCrossNamespaceBackendRef() throws Exception {
    env.apply(
        "invalid-cross-namespace-backend",
        route(
            "invalid-cross-namespace-backend-ref",
            """
            - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "invalid-cross-namespace-backend-ref");
      routeCondition(
          INFRA,
          "invalid-cross-namespace-backend-ref",
          "same-namespace",
          "ResolvedRefs",
          "False",
          "RefNotPermitted");
      expectStatus("same-namespace", 80, Request.get("example.com", "/"), 500);
    } finally {
      env.delete("invalid-cross-namespace-backend");
    }
  }

  @Test
  void HTTPRouteInvalidCrossNamespaceParentRef() throws Exception {
    env.apply(
        "invalid-cross-namespace-parent",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: invalid-cross-namespace-parent-ref, namespace: gateway-conformance-web-backend}
        spec:
          parentRefs: [{name: same-namespace, namespace: gateway-conformance-infra}]
          rules: [{backendRefs: [{name: web-backend, port: 8080}]}]
        """);
    try {
      String route = "invalid-cross-namespace-parent-ref";
      routeCondition(WEB, route, "same-namespace", "ResolvedRefs", "True", "ResolvedRefs");
      routeCondition(WEB, route, "same-namespace", "Accepted", "False", "NotAllowedByListeners");
      JsonObject object = httpRoute(WEB, route);
      assertEquals(1, Status.status(object).getJsonArray("parents").size());
      awaitStatus(
          "same-namespace: one listener, no route attached",
          () ->
              Status.listenerCount(gateway("same-namespace")) == 1
                  && Status.attachedRoutes(Status.listener(gateway("same-namespace"), "http"))
                      == 0);
    } finally {
      env.delete("invalid-cross-namespace-parent");
    }
  }

  @Test
  void HTTPRouteInvalidNonExistentBackendRef() throws Exception {
    env.apply(
        "nonexistent-backend",
        route(
            "invalid-nonexistent-backend-ref",
            """
            - backendRefs: [{name: nonexistent, namespace: gateway-conformance-infra, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "invalid-nonexistent-backend-ref");
      routeCondition(
          INFRA,
          "invalid-nonexistent-backend-ref",
          "same-namespace",
          "ResolvedRefs",
          "False",
          "BackendNotFound");
      expectStatus("same-namespace", 80, Request.get("example.com", "/"), 500);
    } finally {
      env.delete("nonexistent-backend");
    }
  }

  @Test
  void HTTPRouteInvalidParentRefNotMatchingSectionName() throws Exception {
    env.apply(
        "section-name",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: httproute-not-matching-section-name, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace, port: 80, sectionName: http1}]
          rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
        """);
    try {
      routeCondition(
          INFRA,
          "httproute-not-matching-section-name",
          "same-namespace",
          "Accepted",
          "False",
          "NoMatchingParent");
      awaitStatus(
          "same-namespace has no attached route",
          () -> Status.attachedRoutes(Status.listener(gateway("same-namespace"), "http")) == 0);
    } finally {
      env.delete("section-name");
    }
  }

  private static String referenceGrant(String namespace, String name, String from, String to) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: %s, namespace: %s}
        spec:
          from: [%s]
          to: [%s]
        """
        .formatted(name, namespace, from, to);
  }

  @Test
  void HTTPRouteInvalidReferenceGrant() throws Exception {
    String from =
        "{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}";
    String to = "{group: \"\", kind: Service, name: web-backend}";
    env.apply(
        "invalid-reference-grant",
        route(
                "reference-grant",
                """
                - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]
                """)
            + referenceGrant(INFRA, "wrong-namespace", from, to)
            + referenceGrant(
                WEB,
                "wrong-from-group",
                from.replace("gateway.networking.k8s.io", "not-the-group.io"),
                to)
            + referenceGrant(WEB, "wrong-from-kind", from.replace("HTTPRoute", "Gateway"), to)
            + referenceGrant(
                WEB, "wrong-from-namespace", from.replace(INFRA, "not-the-namespace"), to)
            + referenceGrant(
                WEB, "wrong-to-group", from, to.replace("group: \"\"", "group: not-the-group.io"))
            + referenceGrant(WEB, "wrong-to-kind", from, to.replace("Service", "Secret"))
            + referenceGrant(
                WEB, "wrong-to-name", from, to.replace("web-backend", "not-web-backend")));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "reference-grant");
      routeCondition(
          INFRA, "reference-grant", "same-namespace", "ResolvedRefs", "False", "RefNotPermitted");
      expectStatus("same-namespace", 80, Request.get("example.com", "/"), 500);
    } finally {
      env.delete("invalid-reference-grant");
    }
  }

  @Test
  void HTTPRouteListenerHostnameMatching() throws Exception {
    String gateway = "httproute-listener-hostname-matching";
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [%s]
          rules: [{backendRefs: [{name: %s, port: 8080}]}]
        """;
    String parent =
        "{name: httproute-listener-hostname-matching, namespace: gateway-conformance-infra, sectionName: %s}";
    env.apply(
        "listener-hostname-matching",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: httproute-listener-hostname-matching, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com, allowedRoutes: {namespaces: {from: Same}}}
          - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com, allowedRoutes: {namespaces: {from: Same}}}
          - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com", allowedRoutes: {namespaces: {from: Same}}}
          - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com", allowedRoutes: {namespaces: {from: Same}}}
        """
            + route.formatted("backend-v1", parent.formatted("listener-1"), v(1))
            + route.formatted("backend-v2", parent.formatted("listener-2"), v(2))
            + route.formatted(
                "backend-v3",
                parent.formatted("listener-3") + ", " + parent.formatted("listener-4"),
                v(3)));
    try {
      gatewayAndRoutesAccepted(gateway, INFRA, "backend-v1", "backend-v2", "backend-v3");
      expectInfra(gateway, Request.get("bar.com", "/"), 1);
      expectInfra(gateway, Request.get("foo.bar.com", "/"), 2);
      for (String host :
          List.of(
              "baz.bar.com",
              "boo.bar.com",
              "multiple.prefixes.bar.com",
              "multiple.prefixes.foo.com")) {
        expectInfra(gateway, Request.get(host, "/"), 3);
      }
      for (String host : List.of("foo.com", "no.matching.host")) {
        expectStatus(gateway, 80, Request.get(host, "/"), 404);
      }
    } finally {
      env.delete("listener-hostname-matching");
    }
  }

  @Test
  void HTTPRouteMatchingAcrossRoutes() throws Exception {
    env.apply(
        "matching-across-routes",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: matching-part1, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [example.com, example.net]
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: matching-part2, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
          hostnames: [example.com]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        """);
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "matching-part1", "matching-part2");
      expectInfra("same-namespace", Request.get("example.com", "/"), 1);
      expectInfra("same-namespace", Request.get("example.com", "/example"), 1);
      expectInfra("same-namespace", Request.get("example.net", "/example"), 1);
      expectInfra(
          "same-namespace", Request.get("example.com", "/example").with("Version", "one"), 1);
      expectInfra("same-namespace", Request.get("example.com", "/v2"), 2);
      expectInfra("same-namespace", Request.get("example.net", "/v2"), 1);
      expectInfra("same-namespace", Request.get("example.com", "/v2/example"), 2);
      expectInfra("same-namespace", Request.get("example.com", "/").with("Version", "two"), 2);
    } finally {
      env.delete("matching-across-routes");
    }
  }

  @Test
  void HTTPRouteMatching() throws Exception {
    env.apply(
        "matching",
        route(
            "matching",
            """
            - matches: [{path: {type: PathPrefix, value: /}}, {headers: [{name: version, value: one}]}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /v2}}, {headers: [{name: version, value: two}]}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "matching");
      for (String path : List.of("/", "/example", "/v2example", "/foo/v2/example")) {
        expectInfra("same-namespace", Request.get("example.com", path), 1);
      }
      expectInfra("same-namespace", Request.get("example.com", "/").with("Version", "one"), 1);
      for (String path : List.of("/v2", "/v2/example", "/v2/")) {
        expectInfra("same-namespace", Request.get("example.com", path), 2);
      }
      expectInfra("same-namespace", Request.get("example.com", "/").with("Version", "two"), 2);
    } finally {
      env.delete("matching");
    }
  }

  @Test
  void HTTPRouteMultipleGateways() throws Exception {
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [%s]
          rules:
          - matches: [{path: {type: PathPrefix, value: %s}}]
            backendRefs: [{name: %s, port: 8080}]
        """;
    env.apply(
        "multiple-gateways",
        route.formatted(
                "multiple-gateways-shared-route",
                "{name: same-namespace}, {name: all-namespaces}",
                "/shared",
                v(1))
            + route.formatted("same-namespace-dedicated-route", "{name: same-namespace}", "/", v(2))
            + route.formatted(
                "all-namespaces-dedicated-route", "{name: all-namespaces}", "/", v(3)));
    try {
      gatewayAndRoutesAccepted(
          "same-namespace",
          INFRA,
          "multiple-gateways-shared-route",
          "same-namespace-dedicated-route");
      gatewayAndRoutesAccepted(
          "all-namespaces",
          INFRA,
          "multiple-gateways-shared-route",
          "all-namespaces-dedicated-route");
      expectInfra("same-namespace", Request.get("example.com", "/shared"), 1);
      expectInfra("same-namespace", Request.get("example.com", "/"), 2);
      expectInfra("all-namespaces", Request.get("example.com", "/shared"), 1);
      expectInfra("all-namespaces", Request.get("example.com", "/"), 3);
    } finally {
      env.delete("multiple-gateways");
    }
  }

  @Test
  void HTTPRouteObservedGenerationBump() throws Exception {
    String route =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: observed-generation-bump, namespace: gateway-conformance-infra, generation: %d}
        spec:
          parentRefs: [{name: same-namespace}]
          rules: [{backendRefs: [{name: %s, port: 8080}]}]
        """;
    env.apply("route-generation", route.formatted(1, v(1)));
    try {
      routeCondition(INFRA, "observed-generation-bump", "same-namespace", "Accepted", "True", null);
      long before = Status.generation(httpRoute(INFRA, "observed-generation-bump"));
      env.apply("route-generation", route.formatted(2, v(2)));
      awaitStatus(
          "accepted and resolved at a new generation",
          () -> {
            JsonObject object = httpRoute(INFRA, "observed-generation-bump");
            return Status.generation(object) > before
                && Status.parentHas(object, INFRA, "same-namespace", "Accepted", "True", null)
                && Status.parentHas(object, INFRA, "same-namespace", "ResolvedRefs", "True", null);
          });
    } finally {
      env.delete("route-generation");
    }
  }

  @Test
  void HTTPRouteNoBackendRefs() throws Exception {
    env.apply(
        "omitted-backend-refs",
        route(
            "no-backend-refs",
            """
            - matches: [{path: {type: Exact, value: /omitted-no-forward}}]
            - matches: [{path: {type: Exact, value: /empty-no-forward}}]
              backendRefs: []
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "no-backend-refs");
      routeCondition(
          INFRA, "no-backend-refs", "same-namespace", "ResolvedRefs", "True", "ResolvedRefs");
      expectInfra("same-namespace", Request.get("example.com", "/forward"), 1);
      expectStatus("same-namespace", 80, Request.get("example.com", "/omitted-no-forward"), 500);
      expectStatus("same-namespace", 80, Request.get("example.com", "/empty-no-forward"), 500);
    } finally {
      env.delete("omitted-backend-refs");
    }
  }

  @Test
  void HTTPRoutePartiallyInvalidViaInvalidReferenceGrant() throws Exception {
    env.apply(
        "partially-invalid",
        route(
                "invalid-reference-grant",
                """
                - matches: [{path: {type: PathPrefix, value: /v2}}]
                  backendRefs: [{name: app-backend-v2, namespace: gateway-conformance-app-backend, port: 8080}]
                - backendRefs: [{name: app-backend-v1, namespace: gateway-conformance-app-backend, port: 8080}]
                """)
            + referenceGrant(
                APP,
                "reference-grant",
                "{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}",
                "{group: \"\", kind: Service, name: app-backend-v1}"));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "invalid-reference-grant");
      routeCondition(
          INFRA,
          "invalid-reference-grant",
          "same-namespace",
          "ResolvedRefs",
          "False",
          "RefNotPermitted");
      expectStatus("same-namespace", 80, Request.get("example.com", "/v2"), 500);
      expectBackend("same-namespace", 80, Request.get("example.com", "/"), APP, "app-backend-v1");
    } finally {
      env.delete("partially-invalid");
    }
  }

  @Test
  void HTTPRoutePathMatchOrder() throws Exception {
    env.apply(
        "path-match-order",
        route(
            "path-match-order",
            """
            - matches: [{path: {type: Exact, value: /match}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: Exact, value: /match/exact}}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            - matches: [{path: {type: Exact, value: /match/exact/one}}]
              backendRefs: [{name: infra-backend-v3, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /match/}}]
              backendRefs: [{name: infra-backend-v3, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /match/prefix/}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /match/prefix/one}}]
              backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "path-match-order");
      Map<String, Integer> expected = new HashMap<>();
      expected.put("/match/exact/one", 3);
      expected.put("/match/exact", 2);
      expected.put("/match", 1);
      expected.put("/match/prefix/one/any", 2);
      expected.put("/match/prefix/any", 1);
      expected.put("/match/any", 3);
      for (Map.Entry<String, Integer> entry : expected.entrySet()) {
        expectInfra("same-namespace", Request.get("example.com", entry.getKey()), entry.getValue());
      }
    } finally {
      env.delete("path-match-order");
    }
  }

  @Test
  void HTTPRouteRedirectHostAndStatus() throws Exception {
    env.apply(
        "redirect-host-and-status",
        route(
            "redirect-host-and-status",
            """
            - matches: [{path: {type: PathPrefix, value: /hostname-redirect}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
            - matches: [{path: {type: PathPrefix, value: /host-and-status}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, statusCode: 301}}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "redirect-host-and-status");
      int port = env.port(INFRA, "same-namespace", 80);
      for (Object[] expected :
          new Object[][] {{"/hostname-redirect", 302}, {"/host-and-status", 301}}) {
        String path = (String) expected[0];
        converge(
            path + " redirects",
            () -> Client.send(port, Request.get("example.com", path)),
            answer -> {
              String location = answer.header("location");
              if (answer.status() != (int) expected[1] || location == null) {
                return false;
              }
              java.net.URI uri = java.net.URI.create(location);
              return uri.getScheme().equals("http")
                  && uri.getHost().equals("example.org")
                  && (uri.getPort() == -1 || uri.getPort() == 80)
                  && uri.getPath().equals(path);
            });
      }
    } finally {
      env.delete("redirect-host-and-status");
    }
  }

  @Test
  void HTTPRouteReferenceGrant() throws Exception {
    String grant =
        referenceGrant(
            WEB,
            "reference-grant",
            "{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}",
            "{group: \"\", kind: Service, name: web-backend}");
    env.apply(
        "reference-grant-route",
        route(
            "reference-grant",
            """
            - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]
            """));
    env.apply("reference-grant", grant);
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "reference-grant");
      routeCondition(
          INFRA, "reference-grant", "same-namespace", "ResolvedRefs", "True", "ResolvedRefs");
      expectBackend("same-namespace", 80, Request.get("example.com", "/"), WEB, "web-backend");
      env.delete("reference-grant");
      expectStatus("same-namespace", 80, Request.get("example.com", "/"), 500);
    } finally {
      env.delete("reference-grant");
      env.delete("reference-grant-route");
    }
  }

  @Test
  void HTTPRouteRequestHeaderModifier() throws Exception {
    env.apply(
        "request-header-modifier",
        route(
            "request-header-modifier",
            """
            - matches: [{path: {type: PathPrefix, value: /set}}]
              filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /add}}]
              filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Header-Add, value: add-appends-values}]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /remove}}]
              filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [X-Header-Remove]}}]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /multiple}}]
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}]
                  add: [{name: X-Header-Add-1, value: header-add-1}, {name: X-Header-Add-2, value: header-add-2}, {name: X-Header-Add-3, value: header-add-3}]
                  remove: [X-Header-Remove-1, X-Header-Remove-2]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /case-insensitivity}}]
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Header-Set, value: header-set}]
                  add: [{name: X-Header-Add, value: header-add}]
                  remove: [X-Header-Remove]
              backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "request-header-modifier");
      expectHeaders(
          Request.get("example.com", "/set").with("Some-Other-Header", "val"),
          Map.of("X-Header-Set", "set-overwrites-values", "Some-Other-Header", "val"),
          List.of());
      expectHeaders(
          Request.get("example.com", "/set").with("X-Header-Set", "some-other-value"),
          Map.of("X-Header-Set", "set-overwrites-values"),
          List.of());
      expectHeaders(
          Request.get("example.com", "/add"),
          Map.of("X-Header-Add", "add-appends-values"),
          List.of());
      expectHeaders(
          Request.get("example.com", "/add").with("X-Header-Add", "some-other-value"),
          Map.of("X-Header-Add", "some-other-value,add-appends-values"),
          List.of());
      expectHeaders(
          Request.get("example.com", "/remove").with("X-Header-Remove", "val"),
          Map.of(),
          List.of("X-Header-Remove"));
      expectHeaders(
          Request.get("example.com", "/multiple")
              .with("X-Header-Set-2", "set-val-2")
              .with("X-Header-Add-2", "add-val-2")
              .with("X-Header-Remove-2", "remove-val-2")
              .with("Another-Header", "another-header-val"),
          Map.of(
              "X-Header-Set-1", "header-set-1",
              "X-Header-Set-2", "header-set-2",
              "X-Header-Add-1", "header-add-1",
              "X-Header-Add-2", "add-val-2,header-add-2",
              "X-Header-Add-3", "header-add-3",
              "Another-Header", "another-header-val"),
          List.of("X-Header-Remove-1", "X-Header-Remove-2"));
      expectHeaders(
          Request.get("example.com", "/case-insensitivity")
              .with("x-header-set", "original-val-set")
              .with("x-header-add", "original-val-add")
              .with("x-header-remove", "original-val-remove"),
          Map.of("X-Header-Set", "header-set", "X-Header-Add", "original-val-add,header-add"),
          List.of("X-Header-Remove"));
    } finally {
      env.delete("request-header-modifier");
    }
  }

  private void expectHeaders(Request request, Map<String, String> present, List<String> absent)
      throws Exception {
    int port = env.port(INFRA, "same-namespace", 80);
    converge(
        request + " reaches the backend with " + present + " and without " + absent,
        () -> Client.send(port, request),
        answer -> {
          if (!echoedBy(answer, request, INFRA, v(1))) {
            return false;
          }
          JsonObject echo = answer.echo();
          for (Map.Entry<String, String> header : present.entrySet()) {
            if (!header.getValue().equals(echoedHeader(echo, header.getKey()))) {
              return false;
            }
          }
          return absent.stream().allMatch(name -> echoedHeader(echo, name) == null);
        });
  }

  @Test
  void HTTPRouteServiceTypes() throws Exception {
    List<EchoBasic> v1 = backends.pods(INFRA, v(1));
    env.apply(
        "service-types",
        route(
                "service-types",
                """
                - matches: [{path: {type: Exact, value: /manual-endpointslices}}]
                  backendRefs: [{name: manual-endpointslices, port: 8080}]
                - matches: [{path: {type: Exact, value: /headless}}]
                  backendRefs: [{name: headless, port: 8080}]
                - matches: [{path: {type: Exact, value: /headless-manual-endpointslices}}]
                  backendRefs: [{name: headless-manual-endpointslices, port: 8080}]
                """)
            + Backends.service(INFRA, "manual-endpointslices", false, v1)
            + Backends.service(INFRA, "headless", true, v1)
            + Backends.service(INFRA, "headless-manual-endpointslices", true, v1));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "service-types");
      for (String path :
          List.of("/manual-endpointslices", "/headless", "/headless-manual-endpointslices")) {
        expectInfra("same-namespace", Request.get("example.com", path), 1);
      }
    } finally {
      env.delete("service-types");
    }
  }

  @Test
  void HTTPRouteSimpleSameNamespace() throws Exception {
    env.apply(
        "simple-same-namespace",
        route(
            "gateway-conformance-infra-test",
            """
            - backendRefs: [{name: infra-backend-v1, port: 8080}]
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "gateway-conformance-infra-test");
      expectInfra("same-namespace", Request.get("example.com", "/"), 1);
    } finally {
      env.delete("simple-same-namespace");
    }
  }

  @Test
  void HTTPRouteWeight() throws Exception {
    env.apply(
        "weight",
        route(
            "weighted-backends",
            """
            - backendRefs:
              - {name: infra-backend-v1, port: 8080, weight: 70}
              - {name: infra-backend-v2, port: 8080, weight: 30}
              - {name: infra-backend-v3, port: 8080, weight: 0}
            """));
    try {
      gatewayAndRoutesAccepted("same-namespace", INFRA, "weighted-backends");
      int port = env.port(INFRA, "same-namespace", 80);
      converge(
          "the weighted route answers",
          () -> Client.send(port, Request.get("example.com", "/")),
          answer -> answer.status() == 200 && answer.echo() != null);
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 500; i++) {
        JsonObject echo = Client.send(port, Request.get("example.com", "/")).echo();
        String pod = echo.getString("pod");
        String backend = pod.substring(0, pod.lastIndexOf('-', pod.lastIndexOf('-') - 1));
        counts.merge(backend, 1, Integer::sum);
      }
      assertEquals(null, counts.get(v(3)), "weight 0 got requests: " + counts);
      // Smooth weighted round robin is exact over every 100 requests: within a request of 70/30.
      assertTrue(Math.abs(counts.getOrDefault(v(1), 0) - 350) <= 1, counts.toString());
      assertTrue(Math.abs(counts.getOrDefault(v(2), 0) - 150) <= 1, counts.toString());
    } finally {
      env.delete("weight");
    }
  }
}
