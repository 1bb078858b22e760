package io.portico.controller.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.portico.controller.gateway.GatewayApi;
import io.portico.controller.gateway.GatewayApiStatus;
import io.portico.controller.gateway.GatewayView;
import io.portico.controller.snapshot.ClusterSnapshot;
import io.portico.controller.snapshot.ObjectKey;
import io.portico.controller.translate.Translation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /status} answers: for every object whose status Portico manages (its Ingresses,
 * its GatewayClasses, their Gateways, and the routes naming those), its {@code apiVersion}, {@code
 * kind}, {@code metadata} (namespace, name, generation) and the {@code status} Portico writes in a
 * cluster or would write in manifests mode, rendered as the leader renders it ({@link
 * GatewayStatusRenderer}). Conditions keep their time of transition from one answer to the next
 * while their status stays.
 */
public final class StatusDocuments {

  private final Supplier<List<GatewayView.Address>> addresses;
  private final Clock clock;
  // The statuses of the last answer, by kind and key, for their times of transition.
  private Map<String, Object> previous = Map.of();

  /**
   * @param addresses the addresses Gateways and Ingresses are given; empty for those translation
   *     chose ({@code --publish-status-address}, else 127.0.0.1)
   */
  public StatusDocuments(Supplier<List<GatewayView.Address>> addresses, Clock clock) {
    this.addresses = addresses;
    this.clock = clock;
  }

  /** The answer for a translation and the objects it was made from, as JSON. */
  public synchronized String render(@Nullable Translation translation, ClusterSnapshot snapshot) {
    ObjectNode root = Serialization.jsonMapper().createObjectNode();
    ArrayNode items = root.putArray("items");
    Map<String, Object> rendered = new HashMap<>();
    List<GatewayView.Address> published = addresses.get();
    GatewayApiStatus status =
        translation == null ? GatewayApiStatus.NONE : translation.gatewayStatus();
    List<GatewayView.Address> gatewayAddresses =
        published.isEmpty() && !status.gateways().isEmpty()
            ? status.gateways().get(0).addresses()
            : published;
    if (translation != null) {
      for (ObjectKey key : translation.servedIngresses()) {
        Ingress ingress = snapshot.ingress(key);
        if (ingress == null) {
          continue;
        }
        List<Map<String, String>> entries = new ArrayList<>();
        for (GatewayView.Address address :
            gatewayAddresses.isEmpty() ? defaultAddresses() : gatewayAddresses) {
          entries.add(
              Map.of(address.type().equals("Hostname") ? "hostname" : "ip", address.value()));
        }
        item(
            items,
            "networking.k8s.io/v1",
            "Ingress",
            key.namespace(),
            key.name(),
            generation(ingress),
            Map.of("loadBalancer", Map.of("ingress", entries)));
      }
    }
    for (GatewayApiStatus.ClassStatus gatewayClass : status.classes()) {
      String id = "GatewayClass/" + gatewayClass.name();
      GatewayClassStatus next =
          GatewayStatusRenderer.gatewayClass(
              gatewayClass, (GatewayClassStatus) previous.get(id), clock.instant());
      rendered.put(id, next);
      item(
          items,
          apiVersion(),
          "GatewayClass",
          null,
          gatewayClass.name(),
          gatewayClass.generation(),
          next);
    }
    for (GatewayApiStatus.GatewayStatus gateway : status.gateways()) {
      String id = "Gateway/" + gateway.key();
      io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus next =
          GatewayStatusRenderer.gateway(
              gateway,
              published,
              (io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus) previous.get(id),
              clock.instant());
      rendered.put(id, next);
      item(
          items,
          apiVersion(),
          "Gateway",
          gateway.key().namespace(),
          gateway.key().name(),
          gateway.generation(),
          next);
    }
    for (GatewayApiStatus.RouteStatus route : status.routes()) {
      String kind = route.kind().kind();
      String id = kind + "/" + route.key();
      @SuppressWarnings("unchecked")
      List<RouteParentStatus> before =
          (List<RouteParentStatus>) previous.getOrDefault(id, List.of());
      List<RouteParentStatus> parents =
          GatewayStatusRenderer.routeParents(
              route, GatewayApi.CONTROLLER_NAME, before, clock.instant());
      rendered.put(id, parents);
      item(
          items,
          apiVersion(),
          kind,
          route.key().namespace(),
          route.key().name(),
          route.generation(),
          Map.of("parents", parents));
    }
    for (GatewayApiStatus.PolicyStatus policy : status.policies()) {
      String id = "BackendTLSPolicy/" + policy.key();
      @SuppressWarnings("unchecked")
      List<PolicyAncestorStatus> before =
          (List<PolicyAncestorStatus>) previous.getOrDefault(id, List.of());
      List<PolicyAncestorStatus> ancestors =
          GatewayStatusRenderer.policyAncestors(
              policy, GatewayApi.CONTROLLER_NAME, before, clock.instant());
      rendered.put(id, ancestors);
      item(
          items,
          apiVersion(),
          "BackendTLSPolicy",
          policy.key().namespace(),
          policy.key().name(),
          policy.generation(),
          Map.of("ancestors", ancestors));
    }
    previous = rendered;
    return root.toPrettyString();
  }

  private static List<GatewayView.Address> defaultAddresses() {
    return List.of(new GatewayView.Address("IPAddress", "127.0.0.1"));
  }

  private static String apiVersion() {
    return GatewayApi.GROUP + "/v1";
  }

  private static long generation(HasMetadata object) {
    Long generation = object == null ? null : object.getMetadata().getGeneration();
    return generation == null || generation < 1 ? 1 : generation;
  }

  private static void item(
      ArrayNode items,
      String apiVersion,
      String kind,
      @Nullable String namespace,
      String name,
      long generation,
      Object status) {
    ObjectNode item = items.addObject();
    item.put("apiVersion", apiVersion);
    item.put("kind", kind);
    ObjectNode metadata = item.putObject("metadata");
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("name", name);
    metadata.put("generation", generation);
    item.set("status", Serialization.jsonMapper().valueToTree(status));
  }
}
