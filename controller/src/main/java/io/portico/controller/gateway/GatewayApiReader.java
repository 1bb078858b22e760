package io.portico.controller.gateway;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;

/**
 * Reads Gateway API objects into immutable views, as the API server would store them: the
 * validation of the standard-channel CRDs (their OpenAPI schemas and CEL rules) first, then their
 * defaults (parentRef and backendRef group and kind, weight 1, an HTTPRoute rule without matches
 * matching {@code PathPrefix /}, header and query matches {@code Exact}, redirect status 302,
 * {@code allowedRoutes.namespaces.from: Same}, TLS mode {@code Terminate}, certificateRef kind
 * {@code Secret}, address type {@code IPAddress}, CORS max age 5, mirror denominator 100).
 *
 * <p>Manifests mode needs both, since no API server sees its objects. In a cluster, objects arrive
 * validated and defaulted, and reading them again changes nothing.
 *
 * <p>Every method is a pure function of its argument, which it never modifies: the snapshot shares
 * the object with every translation.
 */
public final class GatewayApiReader {

  private GatewayApiReader() {}

  public static Read<GatewayClassView> gatewayClass(GatewayClass gatewayClass) {
    return GatewayReader.gatewayClass(gatewayClass);
  }

  public static Read<GatewayView> gateway(Gateway gateway) {
    return GatewayReader.gateway(gateway);
  }

  public static Read<RouteView> httpRoute(HTTPRoute route) {
    return RouteReader.httpRoute(route);
  }

  public static Read<RouteView> grpcRoute(GRPCRoute route) {
    return RouteReader.grpcRoute(route);
  }

  public static Read<ReferenceGrantView> referenceGrant(
      io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant grant) {
    return GrantReader.v1(grant);
  }

  public static Read<ReferenceGrantView> referenceGrant(
      io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant grant) {
    return GrantReader.v1beta1(grant);
  }
}
