package io.portico.controller.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedEmptyExtrasTest {

  private static final String MANIFESTS =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: app, namespace: default, labels: {team: a}}
      spec:
        ingressClassName: portico
        rules:
        - host: app.test
          http:
            paths:
            - {path: /a, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}
            - {path: /b, pathType: Exact, backend: {service: {name: b, port: {name: http}}}}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata: {name: a-0, namespace: default, labels: {kubernetes.io/service-name: a}}
      addressType: IPv4
      ports: [{name: http, port: 8080, protocol: TCP}]
      endpoints:
      - {addresses: [10.0.0.1], conditions: {ready: true}, futureField: kept}
      - {addresses: [10.0.0.2], conditions: {ready: false}}
      """;

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void everyEmptyMapOfAParsedObjectIsOneSharedMap() throws Exception {
    List<HasMetadata> objects = new ManifestParser().parse("x.yaml", MANIFESTS);
    Ingress ingress = (Ingress) objects.get(0);
    EndpointSlice slice = (EndpointSlice) objects.get(1);

    Map<String, Object> shared = ingress.getAdditionalProperties();
    assertTrue(shared.isEmpty());
    HTTPIngressPath path = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(1);
    for (Map<String, Object> extras :
        List.of(
            ingress.getMetadata().getAdditionalProperties(),
            ingress.getSpec().getAdditionalProperties(),
            ingress.getSpec().getRules().get(0).getAdditionalProperties(),
            path.getAdditionalProperties(),
            path.getBackend().getService().getPort().getAdditionalProperties(),
            slice.getAdditionalProperties(),
            slice.getPorts().get(0).getAdditionalProperties(),
            slice.getEndpoints().get(1).getAdditionalProperties(),
            slice.getEndpoints().get(1).getConditions().getAdditionalProperties())) {
      assertSame(shared, extras);
    }
  }

  @Test
  void fieldsTheModelDoesNotKnowStay() throws Exception {
    EndpointSlice slice = (EndpointSlice) new ManifestParser().parse("x.yaml", MANIFESTS).get(1);

    assertEquals(
        Map.of("futureField", "kept"), slice.getEndpoints().get(0).getAdditionalProperties());
  }

  @Test
  void theObjectStillEditsAndWritesAsBefore() throws Exception {
    Ingress shared = (Ingress) new ManifestParser().parse("x.yaml", MANIFESTS).get(0);
    Ingress own = serialization.unmarshal(MANIFESTS.substring(0, MANIFESTS.indexOf("---")));

    assertEquals(serialization.asJson(own), serialization.asJson(shared));
    assertEquals(own, shared);
    // The status writer and tests edit copies through fabric8's builders.
    Ingress edited =
        new IngressBuilder(shared)
            .editMetadata()
            .addToAnnotations("a", "b")
            .addToAdditionalProperties("extra", 1)
            .endMetadata()
            .withNewStatus()
            .endStatus()
            .addToAdditionalProperties("top", 2)
            .build();
    assertEquals(Map.of("extra", 1), edited.getMetadata().getAdditionalProperties());
    assertEquals(Map.of("top", 2), edited.getAdditionalProperties());
    assertTrue(shared.getAdditionalProperties().isEmpty());
  }

  @Test
  void metadataTrimSharesTheMapOfObjectsFromTheApiServer() {
    Ingress ingress = serialization.unmarshal(MANIFESTS.substring(0, MANIFESTS.indexOf("---")));

    MetadataTrim.apply(ingress);

    assertSame(
        ingress.getAdditionalProperties(),
        ingress.getSpec().getRules().get(0).getHttp().getAdditionalProperties());
  }
}
