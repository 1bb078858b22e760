package io.portico.controller.gateway.conformance;

import static io.portico.controller.gateway.conformance.Backends.INFRA;
import static io.portico.controller.gateway.conformance.Backends.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core Gateway tests of the conformance suite (GATEWAY-HTTP profile, Gateway API v1.6.1),
 * ported in spirit: their objects written anew, their status expectations asserted as the suite's
 * helpers do. One method per suite test, named after it.
 */
abstract class GatewayConformance extends ConformanceHarness {

  private JsonObject listenerOf(String gateway, String listener) throws Exception {
    JsonObject object = gateway(gateway);
    return object == null ? null : Status.listener(object, listener);
  }

  /** The listener exists and has each of these conditions ({@code type status reason}). */
  private boolean listenerHas(String gateway, String listener, String... conditions)
      throws Exception {
    JsonObject status = listenerOf(gateway, listener);
    if (status == null || !Status.latest(gateway(gateway))) {
      return false;
    }
    for (String condition : conditions) {
      String[] parts = condition.split(" ");
      if (!Status.has(
          Status.conditions(status), parts[0], parts[1], parts.length > 2 ? parts[2] : null)) {
        return false;
      }
    }
    return true;
  }

  private boolean gatewayHas(String gateway, String type, String status, String reason)
      throws Exception {
    JsonObject object = gateway(gateway);
    return Status.latest(object)
        && Status.has(Status.conditions(Status.status(object)), type, status, reason);
  }

  @Test
  void GatewayListenerUnsupportedProtocol() throws Exception {
    env.apply(
        "unsupported-protocol",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-only-unsupported-protocols, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: invalid, port: 1111, protocol: INVALID}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-supported-and-unsupported-protocols, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: http, port: 80, protocol: HTTP}
          - {name: invalid, port: 1111, protocol: INVALID}
        """);
    try {
      awaitStatus(
          "only unsupported: Accepted=False ListenersNotValid",
          () ->
              gatewayHas(
                  "gateway-only-unsupported-protocols", "Accepted", "False", "ListenersNotValid"));
      awaitStatus(
          "supported and unsupported: Accepted=True ListenersNotValid",
          () ->
              gatewayHas(
                  "gateway-supported-and-unsupported-protocols",
                  "Accepted",
                  "True",
                  "ListenersNotValid"));
      for (String gateway :
          List.of(
              "gateway-only-unsupported-protocols",
              "gateway-supported-and-unsupported-protocols")) {
        awaitStatus(
            gateway + " listener invalid: UnsupportedProtocol",
            () -> listenerHas(gateway, "invalid", "Accepted False UnsupportedProtocol"));
        JsonObject invalid = listenerOf(gateway, "invalid");
        assertEquals(List.of(), Status.supportedKinds(invalid));
        assertEquals(0, Status.attachedRoutes(invalid));
      }
      awaitStatus(
          "listener http Accepted",
          () ->
              listenerHas(
                  "gateway-supported-and-unsupported-protocols", "http", "Accepted True Accepted"));
      assertEquals(
          List.of("HTTPRoute", "GRPCRoute"),
          Status.supportedKinds(listenerOf("gateway-supported-and-unsupported-protocols", "http")));
    } finally {
      env.delete("unsupported-protocol");
    }
  }

  @Test
  void GatewayInvalidParametersRef() throws Exception {
    env.apply(
        "invalid-parameters-ref",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-invalid-parameters-ref, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          infrastructure:
            parametersRef: {group: invalid.io, kind: InvalidParameters, name: invalid}
          listeners:
          - {name: http, port: 80, protocol: HTTP}
        """);
    try {
      awaitStatus(
          "Accepted=False InvalidParameters",
          () ->
              gatewayHas(
                  "gateway-invalid-parameters-ref", "Accepted", "False", "InvalidParameters"));
    } finally {
      env.delete("invalid-parameters-ref");
    }
  }

  @Test
  void GatewayInvalidRouteKind() throws Exception {
    env.apply(
        "invalid-route-kind",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-only-invalid-route-kind, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes:
              namespaces: {from: All}
              kinds: [{kind: InvalidRoute}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-supported-and-invalid-route-kind, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes:
              namespaces: {from: All}
              kinds: [{kind: InvalidRoute}, {kind: HTTPRoute}]
        """);
    try {
      awaitStatus(
          "only invalid kinds: ResolvedRefs=False InvalidRouteKinds",
          () ->
              listenerHas(
                  "gateway-only-invalid-route-kind",
                  "http",
                  "ResolvedRefs False InvalidRouteKinds"));
      assertEquals(
          List.of(), Status.supportedKinds(listenerOf("gateway-only-invalid-route-kind", "http")));
      awaitStatus(
          "supported and invalid kinds: ResolvedRefs=False InvalidRouteKinds",
          () ->
              listenerHas(
                  "gateway-supported-and-invalid-route-kind",
                  "http",
                  "ResolvedRefs False InvalidRouteKinds"));
      JsonObject listener = listenerOf("gateway-supported-and-invalid-route-kind", "http");
      assertEquals(List.of("HTTPRoute"), Status.supportedKinds(listener));
      assertEquals(0, Status.attachedRoutes(listener));
    } finally {
      env.delete("invalid-route-kind");
    }
  }

  @Test
  void GatewayInvalidTLSConfiguration() throws Exception {
    String gateways =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-certificate-%s, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            allowedRoutes: {namespaces: {from: All}}
            tls:
              certificateRefs: [%s]
        """;
    env.apply(
        "invalid-tls",
        gateways.formatted(
                "nonexistent-secret", "{group: \"\", kind: Secret, name: nonexistent-certificate}")
            + gateways.formatted(
                "unsupported-group",
                "{group: wrong.group.company.io, kind: Secret, name: tls-validity-checks-certificate}")
            + gateways.formatted(
                "unsupported-kind",
                "{group: \"\", kind: WrongKind, name: tls-validity-checks-certificate}")
            + gateways.formatted(
                "malformed-secret", "{group: \"\", kind: Secret, name: malformed-certificate}")
            + Base.tlsSecret(INFRA, "malformed-certificate", "Hello world", "Hello world"));
    try {
      for (String gateway :
          List.of(
              "nonexistent-secret", "unsupported-group", "unsupported-kind", "malformed-secret")) {
        awaitStatus(
            gateway + ": ResolvedRefs=False InvalidCertificateRef",
            () ->
                listenerHas(
                    "gateway-certificate-" + gateway,
                    "https",
                    "ResolvedRefs False InvalidCertificateRef"));
        JsonObject listener = listenerOf("gateway-certificate-" + gateway, "https");
        assertEquals(List.of("HTTPRoute", "GRPCRoute"), Status.supportedKinds(listener));
        assertEquals(0, Status.attachedRoutes(listener));
      }
    } finally {
      env.delete("invalid-tls");
    }
  }

  @Test
  void GatewayModifyListeners() throws Exception {
    String https =
        """
          - name: https
            port: 443
            protocol: HTTPS
            hostname: secure.test.com
            allowedRoutes: {namespaces: {from: All}}
            tls:
              certificateRefs:
              - {group: "", kind: Secret, name: tls-validity-checks-certificate, namespace: gateway-conformance-infra}
        """;
    String http =
        """
          - name: http
            port: 80
            protocol: HTTP
            %sallowedRoutes: {namespaces: {from: All}}
        """;
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{kind: Gateway, name: %s, namespace: gateway-conformance-infra}]
          rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
        """;
    String gateway =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: gateway-conformance-infra, generation: %d}
        spec:
          gatewayClassName: portico
          listeners:
        """;
    env.apply(
        "modify-listeners",
        gateway.formatted("gateway-add-listener", 1)
            + https
            + route.formatted("http-route-1", "gateway-add-listener")
            + "---\n"
            + gateway.formatted("gateway-remove-listener", 1)
            + https
            + http.formatted("")
            + route.formatted("http-route-2", "gateway-remove-listener"));
    try {
      awaitStatus(
          "both Gateways accepted",
          () ->
              gatewayHas("gateway-add-listener", "Programmed", "True", null)
                  && gatewayHas("gateway-remove-listener", "Programmed", "True", null));
      long added = Status.generation(gateway("gateway-add-listener"));
      long removed = Status.generation(gateway("gateway-remove-listener"));
      env.apply(
          "modify-listeners",
          gateway.formatted("gateway-add-listener", 2)
              + https
              + http.formatted("hostname: data.test.com\n    ")
              + route.formatted("http-route-1", "gateway-add-listener")
              + "---\n"
              + gateway.formatted("gateway-remove-listener", 2)
              + http.formatted("")
              + route.formatted("http-route-2", "gateway-remove-listener"));
      for (String listener : List.of("https", "http")) {
        awaitStatus(
            "gateway-add-listener " + listener + " attached 1",
            () -> {
              JsonObject status = listenerOf("gateway-add-listener", listener);
              return listenerHas(
                      "gateway-add-listener",
                      listener,
                      "Accepted True",
                      "ResolvedRefs True",
                      "Programmed True")
                  && Status.attachedRoutes(status) == 1
                  && Status.listenerCount(gateway("gateway-add-listener")) == 2;
            });
      }
      awaitStatus(
          "gateway-remove-listener has listener http alone, attached 1",
          () ->
              Status.listenerCount(gateway("gateway-remove-listener")) == 1
                  && listenerHas(
                      "gateway-remove-listener", "http", "Accepted True", "ResolvedRefs True")
                  && Status.attachedRoutes(listenerOf("gateway-remove-listener", "http")) == 1);
      assertTrue(Status.generation(gateway("gateway-add-listener")) > added);
      assertTrue(Status.generation(gateway("gateway-remove-listener")) > removed);
    } finally {
      env.delete("modify-listeners");
    }
  }

  @Test
  void GatewayObservedGenerationBump() throws Exception {
    String gateway =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gateway-observed-generation-bump, namespace: gateway-conformance-infra, generation: %d}
        spec:
          gatewayClassName: portico
          listeners:
          - {name: http, port: 80, protocol: HTTP, hostname: bar.com, allowedRoutes: {namespaces: {from: All}}}
        %s""";
    env.apply("generation-bump", gateway.formatted(1, ""));
    try {
      awaitStatus(
          "Programmed at its generation",
          () -> gatewayHas("gateway-observed-generation-bump", "Programmed", "True", null));
      long before = Status.generation(gateway("gateway-observed-generation-bump"));
      env.apply(
          "generation-bump",
          gateway.formatted(
              2,
              "  - {name: alternate, port: 80, protocol: HTTP, hostname: foo.com, allowedRoutes: {namespaces: {from: All}}}\n"));
      awaitStatus(
          "a new generation, programmed at it, with both listeners",
          () ->
              Status.generation(gateway("gateway-observed-generation-bump")) > before
                  && gatewayHas("gateway-observed-generation-bump", "Programmed", "True", null)
                  && listenerOf("gateway-observed-generation-bump", "alternate") != null);
    } finally {
      env.delete("generation-bump");
    }
  }

  private static final String SECRET_GATEWAY =
      """
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: %s, namespace: gateway-conformance-infra}
      spec:
        gatewayClassName: portico
        listeners:
        - name: https
          port: 443
          protocol: HTTPS
          allowedRoutes: {namespaces: {from: All}}
          tls:
            certificateRefs:
            - {group: "", kind: Secret, name: certificate, namespace: gateway-conformance-web-backend}
      """;

  private static String grant(String namespace, String name, String from, String to) {
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
  void GatewaySecretInvalidReferenceGrant() throws Exception {
    String from =
        "{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}";
    String to = "{group: \"\", kind: Secret, name: certificate}";
    env.apply(
        "secret-invalid-grant",
        SECRET_GATEWAY.formatted("gateway-secret-invalid-reference-grant")
            + grant(Backends.APP, "wrong-namespace", from, to)
            + grant(
                WEB,
                "wrong-from-group",
                from.replace("gateway.networking.k8s.io", "not-the-group.io"),
                to)
            + grant(WEB, "wrong-from-kind", from.replace("kind: Gateway", "kind: HTTPRoute"), to)
            + grant(WEB, "wrong-from-namespace", from.replace(INFRA, "not-the-namespace"), to)
            + grant(
                WEB, "wrong-to-group", from, to.replace("group: \"\"", "group: not-the-group.io"))
            + grant(WEB, "wrong-to-kind", from, to.replace("kind: Secret", "kind: Service"))
            + grant(
                WEB,
                "wrong-to-name",
                from,
                to.replace("name: certificate", "name: not-the-certificate")));
    try {
      awaitStatus(
          "ResolvedRefs=False RefNotPermitted",
          () ->
              listenerHas(
                  "gateway-secret-invalid-reference-grant",
                  "https",
                  "ResolvedRefs False RefNotPermitted"));
      JsonObject listener = listenerOf("gateway-secret-invalid-reference-grant", "https");
      assertEquals(List.of("HTTPRoute", "GRPCRoute"), Status.supportedKinds(listener));
      assertEquals(0, Status.attachedRoutes(listener));
    } finally {
      env.delete("secret-invalid-grant");
    }
  }

  @Test
  void GatewaySecretMissingReferenceGrant() throws Exception {
    env.apply(
        "secret-missing-grant", SECRET_GATEWAY.formatted("gateway-secret-missing-reference-grant"));
    try {
      awaitStatus(
          "ResolvedRefs=False RefNotPermitted",
          () ->
              listenerHas(
                  "gateway-secret-missing-reference-grant",
                  "https",
                  "ResolvedRefs False RefNotPermitted",
                  "Programmed False"));
    } finally {
      env.delete("secret-missing-grant");
    }
  }

  @Test
  void GatewaySecretReferenceGrantAllInNamespace() throws Exception {
    env.apply(
        "secret-grant-all",
        SECRET_GATEWAY.formatted("gateway-secret-reference-grant-all-in-namespace")
            + grant(
                WEB,
                "reference-grant-all-in-namespace",
                "{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}",
                "{group: \"\", kind: Secret}"));
    try {
      awaitStatus(
          "Programmed=True, ResolvedRefs=True",
          () ->
              listenerHas(
                  "gateway-secret-reference-grant-all-in-namespace",
                  "https",
                  "Programmed True Programmed",
                  "ResolvedRefs True ResolvedRefs"));
    } finally {
      env.delete("secret-grant-all");
    }
  }

  @Test
  void GatewaySecretReferenceGrantSpecific() throws Exception {
    env.apply(
        "secret-grant-specific",
        SECRET_GATEWAY.formatted("gateway-secret-reference-grant-specific")
            + grant(
                WEB,
                "reference-grant-specific",
                "{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}",
                "{group: \"\", kind: Secret, name: certificate}"));
    try {
      awaitStatus(
          "Programmed=True, ResolvedRefs=True",
          () ->
              listenerHas(
                  "gateway-secret-reference-grant-specific",
                  "https",
                  "Programmed True Programmed",
                  "ResolvedRefs True ResolvedRefs"));
      assertEquals(
          List.of("HTTPRoute", "GRPCRoute"),
          Status.supportedKinds(listenerOf("gateway-secret-reference-grant-specific", "https")));
    } finally {
      env.delete("secret-grant-specific");
    }
  }

  @Test
  void GatewayWithAttachedRoutes() throws Exception {
    String gateway =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: portico
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            %s
            allowedRoutes:
              kinds: [{kind: HTTPRoute}]
              namespaces:
                from: Selector
                selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-infra}}
        """;
    String route =
        """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{kind: Gateway, name: %s, namespace: gateway-conformance-infra%s}]
          %s
          rules: [{backendRefs: [{name: %s, port: 8080}]}]
        """;
    env.apply(
        "attached-routes",
        gateway.formatted("gateway-with-one-attached-route", "")
            + route.formatted(
                "http-route-1", "gateway-with-one-attached-route", "", "", "infra-backend-v1")
            + gateway.formatted("gateway-with-two-attached-routes", "hostname: foo.example.com")
            + route.formatted(
                "http-route-2", "gateway-with-two-attached-routes", "", "", "infra-backend-v1")
            + route.formatted(
                "http-route-3", "gateway-with-two-attached-routes", "", "", "infra-backend-v1")
            + route.formatted(
                "http-route-not-accepted",
                "gateway-with-two-attached-routes",
                "",
                "hostnames: [not-accepted.test.com]",
                "infra-backend-v1")
            + """
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: unresolved-gateway-with-one-attached-unresolved-route, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: portico
              listeners:
              - name: tls
                port: 443
                protocol: HTTPS
                allowedRoutes:
                  kinds: [{kind: HTTPRoute}]
                  namespaces:
                    from: Selector
                    selector: {matchLabels: {kubernetes.io/metadata.name: gateway-conformance-infra}}
                tls:
                  mode: Terminate
                  certificateRefs: [{group: "", kind: Secret, name: does-not-exist}]
            """
            + route.formatted(
                "http-route-4",
                "unresolved-gateway-with-one-attached-unresolved-route",
                ", sectionName: tls",
                "",
                "does-not-exist"));
    try {
      awaitStatus(
          "one attached route",
          () ->
              listenerHas(
                      "gateway-with-one-attached-route",
                      "http",
                      "Accepted True",
                      "ResolvedRefs True")
                  && Status.attachedRoutes(listenerOf("gateway-with-one-attached-route", "http"))
                      == 1);
      awaitStatus(
          "two attached routes",
          () ->
              listenerHas(
                      "gateway-with-two-attached-routes",
                      "http",
                      "Accepted True",
                      "ResolvedRefs True")
                  && Status.attachedRoutes(listenerOf("gateway-with-two-attached-routes", "http"))
                      == 2);
      routeCondition(
          INFRA,
          "http-route-not-accepted",
          "gateway-with-two-attached-routes",
          "Accepted",
          "False",
          "NoMatchingListenerHostname");
      awaitStatus(
          "an unresolved listener with its route attached",
          () ->
              listenerHas(
                      "unresolved-gateway-with-one-attached-unresolved-route",
                      "tls",
                      "Programmed False",
                      "ResolvedRefs False")
                  && Status.attachedRoutes(
                          listenerOf(
                              "unresolved-gateway-with-one-attached-unresolved-route", "tls"))
                      == 1);
      assertEquals(
          List.of("HTTPRoute"),
          Status.supportedKinds(
              listenerOf("unresolved-gateway-with-one-attached-unresolved-route", "tls")));
      routeCondition(
          INFRA,
          "http-route-4",
          "unresolved-gateway-with-one-attached-unresolved-route",
          "ResolvedRefs",
          "False",
          null);
    } finally {
      env.delete("attached-routes");
    }
  }

  @Test
  void GatewayClassObservedGenerationBump() throws Exception {
    String gatewayClass =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: gatewayclass-observed-generation-bump, generation: %d}
        spec:
          controllerName: portico.io/gateway-controller
          description: %s
        """;
    env.apply("class-generation", gatewayClass.formatted(1, "old"));
    try {
      awaitStatus(
          "Accepted at its generation",
          () -> {
            JsonObject object =
                env.object("GatewayClass", null, "gatewayclass-observed-generation-bump");
            return Status.latest(object)
                && Status.has(Status.conditions(Status.status(object)), "Accepted", "True", null);
          });
      long before =
          Status.generation(
              env.object("GatewayClass", null, "gatewayclass-observed-generation-bump"));
      env.apply("class-generation", gatewayClass.formatted(2, "new"));
      awaitStatus(
          "Accepted at its new generation",
          () -> {
            JsonObject object =
                env.object("GatewayClass", null, "gatewayclass-observed-generation-bump");
            return Status.generation(object) > before
                && Status.latest(object)
                && Status.has(Status.conditions(Status.status(object)), "Accepted", "True", null);
          });
      JsonArray features =
          Status.status(env.object("GatewayClass", null, Base.CLASS))
              .getJsonArray("supportedFeatures");
      assertTrue(features == null || features.size() <= 64);
    } finally {
      env.delete("class-generation");
    }
  }
}
