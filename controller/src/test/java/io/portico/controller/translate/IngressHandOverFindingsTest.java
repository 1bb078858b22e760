package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portico.controller.testing.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warnings a translation gives an Ingress whose host gives up names to Gateway API routes: one
 * per Ingress and host, however many rules the host has, naming every route that takes a name.
 */
class IngressHandOverFindingsTest {

  private static final String OBJECTS =
      String.join(
          "---\n",
          Manifests.service("app", 8080),
          """
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: {name: shop, namespace: default}
          spec:
            ingressClassName: portico
            rules:
            - host: shop.example
              http:
                paths:
                - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
                - {path: /cart, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
          """,
          Manifests.ingress("catch-all", "\"*.example\"", "/", "app"),
          Manifests.ingress("other", "other.test", "/", "app"),
          Manifests.webGateway() + route("shop-route", "shop.example"),
          route("api-route", "api.example"));

  /** An HTTPRoute on Gateway web serving {@code hostname}, to Service app. */
  private static String route(String name, String hostname) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: default}
        spec:
          parentRefs: [{name: web}]
          hostnames: [%s]
          rules: [{backendRefs: [{name: app, port: 80}]}]
        """
        .formatted(name, hostname);
  }

  @Test
  void eachIngressHostThatGivesUpANameIsToldOnceWithEveryRouteThatTakesOne() throws Exception {
    Translation translation = TranslatorFixtureTest.translate("hand-over", OBJECTS);

    List<String> handOvers =
        translation.findings().stream()
            .filter(f -> f.reason().equals("HostServedByGatewayApi"))
            .map(
                f ->
                    f.subject() + ": " + f.message().substring(0, f.message().indexOf(" it there")))
            .toList();

    assertEquals(
        List.of(
            "Ingress default/catch-all: host *.example on the HTTP listener: HTTPRoute"
                + " default/shop-route rule 0, HTTPRoute default/api-route rule 0 serve",
            "Ingress default/shop: host shop.example on the HTTP listener: HTTPRoute"
                + " default/shop-route rule 0 serves"),
        handOvers);
  }
}
