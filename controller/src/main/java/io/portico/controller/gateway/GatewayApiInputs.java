package io.portico.controller.gateway;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;

/**
 * The Gateway API objects of one translation, as the source holds them (never modified), and how to
 * resolve what they refer to.
 *
 * @param classes GatewayClasses
 * @param gateways Gateways
 * @param httpRoutes HTTPRoutes
 * @param grpcRoutes GRPCRoutes
 * @param referenceGrants ReferenceGrants of either served version ({@code v1} or {@code v1beta1}
 *     fabric8 classes)
 * @param references Secrets, Services and Namespace labels
 */
public record GatewayApiInputs(
    List<GatewayClass> classes,
    List<Gateway> gateways,
    List<HTTPRoute> httpRoutes,
    List<GRPCRoute> grpcRoutes,
    List<HasMetadata> referenceGrants,
    GatewayReferences references) {

  public GatewayApiInputs {
    classes = List.copyOf(classes);
    gateways = List.copyOf(gateways);
    httpRoutes = List.copyOf(httpRoutes);
    grpcRoutes = List.copyOf(grpcRoutes);
    referenceGrants = List.copyOf(referenceGrants);
    requireNonNull(references, "references");
  }
}
