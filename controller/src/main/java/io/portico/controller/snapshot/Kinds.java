package io.portico.controller.snapshot;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The kinds a {@link ClusterSnapshot} holds, registered in one place. Adding a kind (Namespaces,
 * the Gateway API kinds) is one constant here, plus its watch in {@code KubernetesSource}; the
 * manifest folder reads any kind whose model class fabric8 knows, and a snapshot holds whatever is
 * registered here and ignores the rest.
 */
public final class Kinds {

  // Before the constants: they register themselves in declaration order.
  private static final List<SnapshotKind<?>> REGISTERED = new ArrayList<>();
  private static final Map<Class<?>, SnapshotKind<?>> BY_TYPE = new HashMap<>();

  public static final SnapshotKind<Ingress> INGRESS = namespaced("Ingress", Ingress.class);

  public static final SnapshotKind<IngressClass> INGRESS_CLASS =
      register("IngressClass", IngressClass.class, false, null);

  public static final SnapshotKind<Service> SERVICE = namespaced("Service", Service.class);

  /**
   * EndpointSlices, grouped by the Service their {@code kubernetes.io/service-name} label names; a
   * slice without that label belongs to no Service and is not held.
   */
  public static final SnapshotKind<EndpointSlice> ENDPOINT_SLICE =
      register("EndpointSlice", EndpointSlice.class, true, Kinds::serviceOf);

  /** Endpoints objects, which share their Service's key. */
  public static final SnapshotKind<Endpoints> ENDPOINTS = namespaced("Endpoints", Endpoints.class);

  public static final SnapshotKind<Secret> SECRET = namespaced("Secret", Secret.class);

  /**
   * ConfigMaps: in a cluster, those of the watched namespaces (the ConfigMaps of response headers
   * that {@code add-headers} and {@code custom-headers} name are among them) and the controller
   * ConfigMap ({@code --configmap}) wherever it is.
   */
  public static final SnapshotKind<ConfigMap> CONFIG_MAP = namespaced("ConfigMap", ConfigMap.class);

  /** Namespaces, for the labels Gateway API {@code allowedRoutes} selectors read. */
  public static final SnapshotKind<Namespace> NAMESPACE =
      register("Namespace", Namespace.class, false, null);

  /**
   * The Gateway API CustomResourceDefinitions, as far as they are known: their {@code
   * gateway.networking.k8s.io/bundle-version} annotations say which version is installed.
   */
  public static final SnapshotKind<CustomResourceDefinition> CUSTOM_RESOURCE_DEFINITION =
      register("CustomResourceDefinition", CustomResourceDefinition.class, false, null);

  public static final SnapshotKind<GatewayClass> GATEWAY_CLASS =
      register("GatewayClass", GatewayClass.class, false, null);

  public static final SnapshotKind<Gateway> GATEWAY = namespaced("Gateway", Gateway.class);

  public static final SnapshotKind<HTTPRoute> HTTP_ROUTE = namespaced("HTTPRoute", HTTPRoute.class);

  public static final SnapshotKind<GRPCRoute> GRPC_ROUTE = namespaced("GRPCRoute", GRPCRoute.class);

  /** ReferenceGrants of API version v1. */
  public static final SnapshotKind<ReferenceGrant> REFERENCE_GRANT =
      namespaced("ReferenceGrant", ReferenceGrant.class);

  /** ReferenceGrants of API version v1beta1, the version clusters before Gateway API 1.5 serve. */
  public static final SnapshotKind<
          io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant>
      REFERENCE_GRANT_V1BETA1 =
          namespaced(
              "ReferenceGrant.v1beta1",
              io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class);

  /** BackendTLSPolicies (Gateway API v1): TLS from Portico to the Services they target. */
  public static final SnapshotKind<io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy>
      BACKEND_TLS_POLICY =
          namespaced(
              "BackendTLSPolicy",
              io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy.class);

  private Kinds() {}

  /** Every registered kind, in registration order. */
  public static List<SnapshotKind<?>> all() {
    return List.copyOf(REGISTERED);
  }

  /** The kind of an object, or {@code null} when no kind of its class is registered. */
  public static @Nullable SnapshotKind<?> of(HasMetadata object) {
    SnapshotKind<?> kind = BY_TYPE.get(object.getClass());
    if (kind != null) {
      return kind;
    }
    for (SnapshotKind<?> candidate : REGISTERED) {
      if (candidate.type().isInstance(object)) {
        return candidate;
      }
    }
    return null;
  }

  static int count() {
    return REGISTERED.size();
  }

  /** The Service an EndpointSlice belongs to, by its label; {@code null} without the label. */
  private static @Nullable ObjectKey serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(ClusterSnapshot.SERVICE_NAME_LABEL);
    return service == null ? null : new ObjectKey(ObjectKey.of(slice).namespace(), service);
  }

  private static <T extends HasMetadata> SnapshotKind<T> namespaced(String name, Class<T> type) {
    return register(name, type, true, null);
  }

  private static <T extends HasMetadata> SnapshotKind<T> register(
      String name,
      Class<T> type,
      boolean namespaced,
      @Nullable Function<T, @Nullable ObjectKey> groupBy) {
    SnapshotKind<T> kind = new SnapshotKind<>(REGISTERED.size(), name, type, namespaced, groupBy);
    REGISTERED.add(kind);
    BY_TYPE.put(type, kind);
    return kind;
  }
}
