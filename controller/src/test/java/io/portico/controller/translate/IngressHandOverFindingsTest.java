package io.portico.controller.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warnings a translation gives an Ingress whose host gives up names to Gateway API routes: one
 * per Ingress and host, however many rules the host has, naming every route that takes a name.
 */
class IngressHandOverFindingsTest {

  private static final String OBJECTS =
      """
      apiVersion: v1
      kind: Service
      metadata: {name: app, namespace: default}
      spec: {ports: [{port: 80}]}
      ---
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
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: catch-all, namespace: default}
      spec:
        ingressClassName: portico
        rules:
        - host: "*.example"
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: other, namespace: default}
      spec:
        ingressClassName: portico
        rules:
        - host: other.test
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: portico}
      spec: {controllerName: portico.io/gateway-controller}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: web, namespace: default}
      spec:
        gatewayClassName: portico
        listeners: [{name: http, port: 80, protocol: HTTP}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: shop-route, namespace: default}
      spec:
        parentRefs: [{name: web}]
        hostnames: [shop.example]
        rules: [{backendRefs: [{name: app, port: 80}]}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: api-route, namespace: default}
      spec:
        parentRefs: [{name: web}]
        hostnames: [api.example]
        rules: [{backendRefs: [{name: app, port: 80}]}]
      """;

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
