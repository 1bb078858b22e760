package io.portico.controller.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Locale;

/**
 * The Gateway API CRDs as fabric8's mock API server needs them to serve their kinds: names,
 * versions, scope, the status subresource and the bundle-version annotations, without the schemas
 * (the mock neither validates nor defaults).
 */
public final class GatewayApiCrds {

  /** A Gateway API kind: plural, kind, whether namespaced, the versions served (v1 stored). */
  private record Crd(String plural, String kind, boolean namespaced, List<String> versions) {}

  private static final List<Crd> CRDS =
      List.of(
          new Crd("backendtlspolicies", "BackendTLSPolicy", true, List.of("v1")),
          new Crd("gatewayclasses", "GatewayClass", false, List.of("v1", "v1beta1")),
          new Crd("gateways", "Gateway", true, List.of("v1", "v1beta1")),
          new Crd("httproutes", "HTTPRoute", true, List.of("v1", "v1beta1")),
          new Crd("grpcroutes", "GRPCRoute", true, List.of("v1")),
          new Crd("referencegrants", "ReferenceGrant", true, List.of("v1", "v1beta1")));

  private GatewayApiCrds() {}

  /** Registers the CRDs of Gateway API v1.6.1, standard channel. */
  public static void install(KubernetesClient client) {
    installWithout(client, "");
  }

  /** Registers them all but the one of {@code plural}, as a cluster missing one of them is. */
  public static void installWithout(KubernetesClient client, String plural) {
    for (Crd crd : CRDS) {
      if (!crd.plural().equals(plural)) {
        client.apiextensions().v1().customResourceDefinitions().resource(definition(crd)).create();
      }
    }
  }

  private static CustomResourceDefinition definition(Crd crd) {
    String group = "gateway.networking.k8s.io";
    CustomResourceDefinitionBuilder builder =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(crd.plural() + "." + group)
            .addToAnnotations(group + "/bundle-version", "v1.6.1")
            .addToAnnotations(group + "/channel", "standard")
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope(crd.namespaced() ? "Namespaced" : "Cluster")
            .withNewNames()
            .withKind(crd.kind())
            .withListKind(crd.kind() + "List")
            .withPlural(crd.plural())
            .withSingular(crd.kind().toLowerCase(Locale.ROOT))
            .endNames()
            .endSpec();
    for (String version : crd.versions()) {
      builder
          .editSpec()
          .addNewVersion()
          .withName(version)
          .withServed(true)
          .withStorage(version.equals("v1"))
          .withNewSubresources()
          .withNewStatus()
          .endStatus()
          .endSubresources()
          .endVersion()
          .endSpec();
    }
    return builder.build();
  }
}
